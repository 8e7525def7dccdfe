! libsymlearn: the Fortran 2008 (ISO_C_BINDING) interface, module `symlearn`.
!
! Build: compile this one file with your program (`.mod` files are compiler
! specific, so the source is what is installed) and link -lsymlearn:
!
!   gfortran -c symlearn.f90
!   gfortran my_code.f90 symlearn.o $(pkg-config --libs symlearn)
!
!   use symlearn
!   type(sl_ctx) :: ctx
!   integer :: ierr
!   call sl_ctx_create(ctx, ierr)
!
! Modules.  `use symlearn` gives the whole interface.  The file holds one
! module per area, each covering some headers of include/symlearn/:
! symlearn_core (core.h), symlearn_graph (tensor.h, graph.h), symlearn_optim
! (optim.h), symlearn_discover (analysis.h, discover.h, the symmetry losses),
! symlearn_lattice (the gauge fields and L-CNNs of lattice.h),
! symlearn_conserved (dynamics.h, regression.h, conserved.h), then module
! symlearn, which re-exports all of them; symlearn_base holds private helpers.
!
! Handles.  sl_ctx, sl_tensor, sl_graph, sl_node, sl_plan, sl_optim,
! sl_symmetry_opts, sl_symmetry_result, sl_gauge and sl_lcnn each wrap one C
! pointer, h%ptr (type(c_ptr), null until created; sl_associated(h) tests it;
! pass h%ptr to your own bind(c) interface of a C call this module does not
! bind).  They are plain values: copying one copies the reference, not the
! object.  Every *_create has a *_destroy, which accepts a null handle and
! nulls it.
!
! Names.  The public procedures have the names of the C functions in
! include/symlearn/*.h, whose comments are the reference; the raw bind(c)
! interfaces are private.  Calls whose C function returns an sl_status take an
! optional trailing `integer, intent(out) :: ierr` (SL_OK on success); without
! it a failure is only recorded (sl_ctx_errmsg, sl_graph_status), never fatal.
! Graph ops are functions returning type(sl_node); their errors are sticky in
! the graph as in C (check sl_graph_status(g) once after building).
!
! Options.  The size-first C option structs have bind(c) mirrors of the same
! name, field for field (sl_ctx_opts, sl_optim_opts, sl_gauge_layout,
! sl_lcnn_opts, sl_lcnn_train_opts).  Fill one with its initialiser
! (sl_optim_opts_init(opts, kind), sl_lcnn_opts_init(opts), ...), which passes
! c_sizeof(opts) to the C sized initialiser, then set the fields you need.
!
! Index reversal.  The library is row-major ("C order"), Fortran column-major.
! The same memory holding a C array of shape (n0, n1, ..., nk) is the Fortran
! array of shape (nk, ..., n1, n0), and element x[i0][i1]...[ik] of the C
! array is x(ik+1, ..., i1+1, i0+1) of the Fortran one.  Everything that
! crosses the interface is in C terms:
!   * shapes are integer(c_int64_t) arrays in C order: a Fortran array
!     x(4, 1024) (1024 samples of 4 features, samples along the last, slowest
!     Fortran index) is the C shape (1024, 4) = sl_c_shape(shape(x));
!   * axes (sl_node_dim, sl_graph_slice, sl_graph_sum_axes, ...) count C axes
!     from 0: C axis 0 is the LAST Fortran dimension;
!   * plan output indices (sl_plan_output, sl_plan_scalar) start at 0, and
!     gather indices and slice bounds are 0-based as in C;
!   * a C matrix product A B of row-major matrices is, seen from Fortran, the
!     product of the transposes: sl_graph_matmul(g, a, b) on Fortran arrays
!     a(k, m), b(n, k) gives c(n, m) = matmul(b, a).
! So data never needs to be copied or transposed: declare the Fortran array
! with the C shape reversed.  (Symmetry discovery and the Lie-algebra calls
! are the exception: their matrices cross with natural Fortran indices, see
! module symlearn_discover.)
!
! Arrays.  Data goes in and out as real(c_double) (SL_F64) or
! complex(c_double_complex) (SL_C128) arrays of any rank 0..8; the element
! type gives the dtype.  sl_plan_bind, sl_optim_bind and sl_tensor_wrap keep a
! pointer to the caller's array: it must be contiguous (checked: SL_ERR_ARG),
! be a TARGET (or a POINTER) in the caller, and stay allocated and in place
! while it is bound (e.g. `real(c_double), allocatable, target :: x(:, :)`;
! reallocating x needs a new bind).  Sizes are checked
! against the node (SL_ERR_SHAPE) and the element type against its dtype
! (SL_ERR_DTYPE); these Fortran-side checks set ierr but no context message.
! sl_graph_param and sl_graph_constant copy their data; a data array whose
! size differs from product(shape) is recorded in the graph as SL_ERR_SHAPE.
!
! Integers.  int64_t arguments are integer(c_int64_t) (write 3_c_int64_t or
! int(n, c_int64_t)); int is integer(c_int), which is the default integer on
! common compilers.  The uint64_t seeds and counters are integer(c_int64_t)
! with the same bits (seeds >= 2**63 read as negative numbers).  The kind
! constants c_int, c_int64_t, c_size_t, c_double and c_double_complex are
! re-exported for convenience.
!
! Thread safety is that of the C library: one thread at a time per context and
! every object created from it.
