! libsymlearn: the Fortran 2003 interface, module `symlearn`.
!
! Build: compile this file with your program (`.mod` files are compiler
! specific, so the source is what is installed) and link -lsymlearn.
!
!   use symlearn
!   type(sl_ctx) :: ctx
!   integer :: ierr
!   call sl_ctx_create(ctx, ierr)
!
! Handles.  sl_ctx, sl_tensor, sl_graph, sl_node, sl_plan, sl_optim,
! sl_symmetry_opts and sl_symmetry_result each
! wrap one C pointer (null until created; sl_associated(h) tests it).  They
! are plain values: copying one copies the reference, not the object.  Every
! *_create has a *_destroy, which accepts a null handle and nulls it.
!
! Names.  The public procedures have the names of the C functions in
! include/symlearn/*.h, whose comments are the reference; the raw bind(c)
! interfaces are private.  Calls whose C function returns an sl_status take an
! optional trailing `integer, intent(out) :: ierr` (SL_OK on success); without
! it a failure is only recorded (sl_ctx_errmsg, sl_graph_status), never fatal.
! Graph ops are functions returning type(sl_node); their errors are sticky in
! the graph as in C (check sl_graph_status(g) once after building).
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
! with the C shape reversed.
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
module symlearn
  use, intrinsic :: iso_c_binding, only: c_int, c_int64_t, c_size_t, c_double, &
      c_double_complex, c_intptr_t, c_char, c_null_char, c_ptr, c_null_ptr, &
      c_associated, c_loc, c_f_pointer, c_sizeof
  use, intrinsic :: iso_c_binding, only: c_funptr, c_null_funptr
  implicit none
  private

  public :: c_int, c_int64_t, c_size_t, c_double, c_double_complex

  ! ---- Constants (values fixed within ABI 1) --------------------------------
  integer(c_int), parameter, public :: SL_VERSION_MAJOR = 1, SL_VERSION_MINOR = 0, &
      SL_VERSION_PATCH = 0
  integer(c_int), parameter, public :: SL_OK = 0, SL_ERR_NULL = 1, SL_ERR_ARG = 2, &
      SL_ERR_SHAPE = 3, SL_ERR_DTYPE = 4, SL_ERR_NOMEM = 5, SL_ERR_NONFINITE = 6, &
      SL_ERR_UNBOUND = 7, SL_ERR_IO = 8, SL_ERR_CORRUPT = 9, SL_ERR_NUMERIC = 10, &
      SL_ERR_STATE = 11, SL_ERR_UNSUPPORTED = 12, SL_ERR_GRAPH = 13
  integer(c_int), parameter, public :: SL_F64 = 1, SL_C128 = 2
  integer(c_int), parameter, public :: SL_MAX_RANK = 8
  integer(c_int), parameter, public :: SL_LOG_ERROR = 0, SL_LOG_WARN = 1, SL_LOG_INFO = 2, &
      SL_LOG_DEBUG = 3
  integer(c_int), parameter, public :: SL_OP_N = 0, SL_OP_T = 1, SL_OP_H = 2
  integer(c_int), parameter, public :: SL_OPTIM_SGD = 1, SL_OPTIM_ADAM = 2, &
      SL_OPTIM_ADAMW = 3, SL_OPTIM_LBFGS = 4

  ! ---- Handles ----------------------------------------------------------------
  type, public :: sl_ctx
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_ctx
  type, public :: sl_tensor
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_tensor
  type, public :: sl_graph
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_graph
  type, public :: sl_node
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_node
  type, public :: sl_plan
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_plan
  type, public :: sl_optim
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_optim

  ! Mirror of C sl_optim_opts, field for field.  Fill it with
  ! sl_optim_opts_init(opts, kind), which sets size = c_sizeof(opts).
  type, bind(c), public :: sl_optim_opts
    integer(c_size_t) :: size = 0
    integer(c_int) :: kind = 0
    real(c_double) :: lr = 0
    real(c_double) :: momentum = 0
    real(c_double) :: dampening = 0
    integer(c_int) :: nesterov = 0
    real(c_double) :: beta1 = 0, beta2 = 0
    real(c_double) :: eps = 0
    real(c_double) :: weight_decay = 0
    integer(c_int) :: amsgrad = 0
    integer(c_int) :: history = 0
    integer(c_int) :: max_iter = 0
    integer(c_int) :: max_eval = 0
    real(c_double) :: tolerance_grad = 0
    real(c_double) :: tolerance_change = 0
    integer(c_int) :: line_search = 0
  end type sl_optim_opts

  ! ---- Symmetry discovery (include/symlearn/discover.h, analysis.h) ----------
  ! Options and result of sl_discover_symmetries, each wrapping one C pointer.
  type, public :: sl_symmetry_opts
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_symmetry_opts
  type, public :: sl_symmetry_result
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_symmetry_result
  integer(c_int), parameter, public :: SL_SYM_EXACT = 1, SL_SYM_TRAINED = 2
  integer(c_int), parameter, public :: SL_SYM_INV_FORWARD = 0, SL_SYM_INV_CENTRAL = 1, &
      SL_SYM_INV_DERIVATIVE = 2
  integer(c_int), parameter, public :: SL_SYM_CLOSURE_OFF = 0, SL_SYM_CLOSURE_LEARNED = 1, &
      SL_SYM_CLOSURE_LSQ = 2
  integer(c_int), parameter, public :: SL_SYM_LOSS_TOTAL = 0, SL_SYM_LOSS_INVARIANCE = 1, &
      SL_SYM_LOSS_NORMALISATION = 2, SL_SYM_LOSS_ORTHOGONALITY = 3, SL_SYM_LOSS_CLOSURE = 4, &
      SL_SYM_LOSS_SPARSITY = 5
  integer(c_int), parameter, public :: SL_SYM_PICTURE_GENERATORS = 0, &
      SL_SYM_PICTURE_STRUCTURE = 1

  ! ---- Public procedures --------------------------------------------------------
  public :: sl_associated, sl_c_shape
  ! core
  public :: sl_version_string, sl_status_string
  public :: sl_ctx_create, sl_ctx_destroy, sl_ctx_errmsg, sl_ctx_last_status, &
      sl_ctx_clear_error, sl_ctx_set_seed, sl_ctx_seed, sl_ctx_set_threads, sl_ctx_threads, &
      sl_ctx_bytes_in_use, sl_ctx_alloc_count
  public :: sl_rng_u64, sl_rng_uniform, sl_rng_normal, sl_rng_fill_uniform, sl_rng_fill_normal
  ! tensor
  public :: sl_tensor_create, sl_tensor_wrap, sl_tensor_destroy, sl_tensor_dtype, &
      sl_tensor_rank, sl_tensor_dim, sl_tensor_stride, sl_tensor_numel, &
      sl_tensor_is_contiguous, sl_tensor_fill, sl_tensor_fill_uniform, sl_tensor_fill_normal, &
      sl_tensor_slice, sl_tensor_permute, sl_tensor_transpose, sl_tensor_reshape, &
      sl_tensor_clone, sl_tensor_copy, sl_tensor_get, sl_tensor_set, sl_tensor_check_finite
  ! graph
  public :: sl_graph_create, sl_graph_destroy, sl_graph_status, sl_graph_node_count, sl_graph_ctx
  public :: sl_graph_input, sl_graph_param, sl_graph_constant, sl_graph_constant_tensor, &
      sl_graph_scalar, sl_graph_full, sl_graph_eye
  public :: sl_node_dtype, sl_node_rank, sl_node_dim, sl_node_numel, sl_node_name, &
      sl_node_op_name, sl_node_data
  public :: sl_graph_add, sl_graph_sub, sl_graph_mul, sl_graph_div, sl_graph_pow
  public :: sl_graph_add_scalar, sl_graph_mul_scalar, sl_graph_mul_complex_scalar, &
      sl_graph_pow_scalar, sl_graph_rsub_scalar
  public :: sl_graph_neg, sl_graph_square, sl_graph_exp, sl_graph_log, sl_graph_sqrt, &
      sl_graph_sin, sl_graph_cos, sl_graph_tanh, sl_graph_sigmoid, sl_graph_softplus, &
      sl_graph_relu, sl_graph_abs, sl_graph_conj, sl_graph_real, sl_graph_imag, &
      sl_graph_view_real, sl_graph_view_complex, &
      sl_graph_complex
  public :: sl_graph_matmul, sl_graph_matmul_ex, sl_graph_dot, sl_graph_trace
  public :: sl_graph_transpose, sl_graph_adjoint, sl_graph_permute, sl_graph_reshape, &
      sl_graph_slice, sl_graph_gather, sl_graph_concat, sl_graph_broadcast, sl_graph_roll
  public :: sl_graph_sum, sl_graph_mean, sl_graph_sum_axes, sl_graph_mean_axes
  public :: sl_graph_grad, sl_graph_grad1
  ! plan
  public :: sl_plan_create, sl_plan_destroy, sl_plan_bind, sl_plan_bind_tensor, sl_plan_run, &
      sl_plan_set_check_finite, sl_plan_set_cache_data, sl_plan_output, sl_plan_value, &
      sl_plan_scalar, sl_plan_bytes, sl_plan_steps
  ! optim
  public :: sl_optim_opts_init, sl_optim_create, sl_optim_destroy, sl_optim_plan, &
      sl_optim_bind, sl_optim_step, sl_optim_eval, sl_optim_set_lr, sl_optim_steps, &
      sl_optim_reset
  ! symmetry discovery
  public :: sl_symmetry_opts_create, sl_symmetry_opts_destroy, sl_symmetry_opts_oracle_quadratic, &
      sl_symmetry_opts_oracle_norm, sl_symmetry_opts_oracle_hermitian, &
      sl_symmetry_opts_oracle_determinant, sl_symmetry_opts_oracle_octonion_3form, &
      sl_symmetry_opts_oracle_albert, sl_symmetry_opts_set_samples, &
      sl_symmetry_opts_set_samples_count, sl_symmetry_opts_set_seed, sl_symmetry_opts_set_solver, &
      sl_symmetry_opts_set_generators, sl_symmetry_opts_set_scan, sl_symmetry_opts_set_invariance, &
      sl_symmetry_opts_set_closure, sl_symmetry_opts_set_weights, sl_symmetry_opts_set_training, &
      sl_symmetry_opts_set_tolerance, sl_symmetry_opts_set_sparsify, &
      sl_symmetry_opts_preset_reference
  public :: sl_discover_symmetries, sl_discover_symmetries_quadratic
  public :: sl_symmetry_result_destroy, sl_symmetry_result_dim, sl_symmetry_result_n, &
      sl_symmetry_result_generators, sl_symmetry_result_structure_constants, &
      sl_symmetry_result_killing_form, sl_symmetry_result_killing_eigenvalues, &
      sl_symmetry_result_signature, sl_symmetry_result_rank, sl_symmetry_result_centre_dim, &
      sl_symmetry_result_is_compact, sl_symmetry_result_name, sl_symmetry_result_closure_residual, &
      sl_symmetry_result_loss, sl_symmetry_result_singular_gap, sl_symmetry_result_save, &
      sl_symmetry_result_load, sl_symmetry_result_export_csv, sl_symmetry_result_export_json, &
      sl_symmetry_result_write_ppm
  ! Lie-algebra analysis on arrays of generators
  public :: sl_lie_structure_constants, sl_lie_killing_form, sl_lie_span_distance
  ! lattice (symlearn/lattice.h)
  public :: sl_gauge_layout_init, sl_gauge_create, sl_gauge_wrap, sl_gauge_refresh, &
      sl_gauge_export, sl_gauge_destroy, sl_gauge_nd, sl_gauge_nc, sl_gauge_volume, &
      sl_gauge_dims, sl_gauge_in_place, sl_gauge_tensor, sl_gauge_data, &
      sl_gauge_copy_canonical, sl_gauge_plaquette, sl_gauge_link_trace
  public :: sl_su_random, sl_su_reunitarize, sl_su_exp, sl_gauge_transform, &
      sl_gauge_transform_fields, sl_gauge_randomize, sl_gauge_heatbath, &
      sl_gauge_read_nersc, sl_gauge_write_nersc
  public :: sl_graph_link, sl_graph_plaquette, sl_graph_wilson_loop, sl_graph_polyakov, &
      sl_graph_transport, sl_graph_lconv, sl_graph_lbilin, sl_graph_gcmconv, &
      sl_gcmconv_terms, sl_graph_lact, sl_graph_lexp, sl_graph_trace_features
  public :: sl_lcnn_opts_init, sl_lcnn_create, sl_lcnn_destroy, sl_lcnn_nparams, &
      sl_lcnn_get_params, sl_lcnn_set_params, sl_lcnn_apply, sl_lcnn_predict, &
      sl_lcnn_predict_batch, sl_lcnn_train_opts_init, sl_lcnn_train, sl_lcnn_save, sl_lcnn_load

  interface sl_associated
    module procedure assoc_ctx, assoc_tensor, assoc_graph, assoc_node, assoc_plan, assoc_optim
  end interface sl_associated

  interface sl_tensor_fill
    module procedure tensor_fill_f64, tensor_fill_c128
  end interface sl_tensor_fill

  interface sl_tensor_get
    module procedure tensor_get_f64, tensor_get_c128
  end interface sl_tensor_get

  interface sl_tensor_set
    module procedure tensor_set_f64, tensor_set_c128
  end interface sl_tensor_set

  interface sl_graph_param
    module procedure graph_param_zero
  end interface sl_graph_param

  ! Array arguments of any rank and either element type (generated blocks).
  interface sl_plan_bind
    module procedure plan_bind_f64_0, plan_bind_f64_1, plan_bind_f64_2, plan_bind_f64_3, &
      plan_bind_f64_4, plan_bind_f64_5, plan_bind_f64_6, plan_bind_f64_7, plan_bind_f64_8, &
      plan_bind_c128_0, plan_bind_c128_1, plan_bind_c128_2, plan_bind_c128_3, plan_bind_c128_4, &
      plan_bind_c128_5, plan_bind_c128_6, plan_bind_c128_7, plan_bind_c128_8
  end interface sl_plan_bind

  interface sl_optim_bind
    module procedure optim_bind_f64_0, optim_bind_f64_1, optim_bind_f64_2, optim_bind_f64_3, &
      optim_bind_f64_4, optim_bind_f64_5, optim_bind_f64_6, optim_bind_f64_7, optim_bind_f64_8, &
      optim_bind_c128_0, optim_bind_c128_1, optim_bind_c128_2, optim_bind_c128_3, &
      optim_bind_c128_4, optim_bind_c128_5, optim_bind_c128_6, optim_bind_c128_7, optim_bind_c128_8
  end interface sl_optim_bind

  interface sl_tensor_wrap
    module procedure tensor_wrap_f64_0, tensor_wrap_f64_1, tensor_wrap_f64_2, tensor_wrap_f64_3, &
      tensor_wrap_f64_4, tensor_wrap_f64_5, tensor_wrap_f64_6, tensor_wrap_f64_7, &
      tensor_wrap_f64_8, tensor_wrap_c128_0, tensor_wrap_c128_1, tensor_wrap_c128_2, &
      tensor_wrap_c128_3, tensor_wrap_c128_4, tensor_wrap_c128_5, tensor_wrap_c128_6, &
      tensor_wrap_c128_7, tensor_wrap_c128_8
  end interface sl_tensor_wrap

  interface sl_graph_param
    module procedure graph_param_f64_0, graph_param_f64_1, graph_param_f64_2, graph_param_f64_3, &
      graph_param_f64_4, graph_param_f64_5, graph_param_f64_6, graph_param_f64_7, &
      graph_param_f64_8, graph_param_c128_0, graph_param_c128_1, graph_param_c128_2, &
      graph_param_c128_3, graph_param_c128_4, graph_param_c128_5, graph_param_c128_6, &
      graph_param_c128_7, graph_param_c128_8
  end interface sl_graph_param

  interface sl_graph_constant
    module procedure graph_constant_f64_0, graph_constant_f64_1, graph_constant_f64_2, &
      graph_constant_f64_3, graph_constant_f64_4, graph_constant_f64_5, graph_constant_f64_6, &
      graph_constant_f64_7, graph_constant_f64_8, graph_constant_c128_0, graph_constant_c128_1, &
      graph_constant_c128_2, graph_constant_c128_3, graph_constant_c128_4, graph_constant_c128_5, &
      graph_constant_c128_6, graph_constant_c128_7, graph_constant_c128_8
  end interface sl_graph_constant

  interface sl_plan_output
    module procedure plan_output_f64_0, plan_output_f64_1, plan_output_f64_2, plan_output_f64_3, &
      plan_output_f64_4, plan_output_f64_5, plan_output_f64_6, plan_output_f64_7, &
      plan_output_f64_8, plan_output_c128_0, plan_output_c128_1, plan_output_c128_2, &
      plan_output_c128_3, plan_output_c128_4, plan_output_c128_5, plan_output_c128_6, &
      plan_output_c128_7, plan_output_c128_8
  end interface sl_plan_output

  interface sl_plan_value
    module procedure plan_value_f64_0, plan_value_f64_1, plan_value_f64_2, plan_value_f64_3, &
      plan_value_f64_4, plan_value_f64_5, plan_value_f64_6, plan_value_f64_7, plan_value_f64_8, &
      plan_value_c128_0, plan_value_c128_1, plan_value_c128_2, plan_value_c128_3, &
      plan_value_c128_4, plan_value_c128_5, plan_value_c128_6, plan_value_c128_7, plan_value_c128_8
  end interface sl_plan_value

  interface sl_node_data
    module procedure node_data_f64, node_data_c128
  end interface sl_node_data

  interface
    function c_sl_version_string() bind(c, name='sl_version_string')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_version_string
    end function c_sl_version_string
    function c_sl_status_string(status) bind(c, name='sl_status_string')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_status_string
      integer(c_int), value :: status
    end function c_sl_status_string
    function c_sl_ctx_create(out, opts) bind(c, name='sl_ctx_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_ctx_create
      type(c_ptr), intent(out) :: out
      type(c_ptr), value :: opts
    end function c_sl_ctx_create
    subroutine c_sl_ctx_destroy(ctx) bind(c, name='sl_ctx_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: ctx
    end subroutine c_sl_ctx_destroy
    function c_sl_ctx_errmsg(ctx) bind(c, name='sl_ctx_errmsg')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_ctx_errmsg
      type(c_ptr), value :: ctx
    end function c_sl_ctx_errmsg
    function c_sl_ctx_last_status(ctx) bind(c, name='sl_ctx_last_status')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_ctx_last_status
      type(c_ptr), value :: ctx
    end function c_sl_ctx_last_status
    subroutine c_sl_ctx_clear_error(ctx) bind(c, name='sl_ctx_clear_error')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: ctx
    end subroutine c_sl_ctx_clear_error
    function c_sl_ctx_set_seed(ctx, seed) bind(c, name='sl_ctx_set_seed')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_ctx_set_seed
      type(c_ptr), value :: ctx
      integer(c_int64_t), value :: seed
    end function c_sl_ctx_set_seed
    function c_sl_ctx_seed(ctx) bind(c, name='sl_ctx_seed')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_ctx_seed
      type(c_ptr), value :: ctx
    end function c_sl_ctx_seed
    function c_sl_ctx_set_threads(ctx, nthreads) bind(c, name='sl_ctx_set_threads')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_ctx_set_threads
      type(c_ptr), value :: ctx
      integer(c_int), value :: nthreads
    end function c_sl_ctx_set_threads
    function c_sl_ctx_threads(ctx) bind(c, name='sl_ctx_threads')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_ctx_threads
      type(c_ptr), value :: ctx
    end function c_sl_ctx_threads
    function c_sl_ctx_bytes_in_use(ctx) bind(c, name='sl_ctx_bytes_in_use')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_size_t) :: c_sl_ctx_bytes_in_use
      type(c_ptr), value :: ctx
    end function c_sl_ctx_bytes_in_use
    function c_sl_ctx_alloc_count(ctx) bind(c, name='sl_ctx_alloc_count')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_ctx_alloc_count
      type(c_ptr), value :: ctx
    end function c_sl_ctx_alloc_count
    function c_sl_rng_u64(seed, k) bind(c, name='sl_rng_u64')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_rng_u64
      integer(c_int64_t), value :: seed
      integer(c_int64_t), value :: k
    end function c_sl_rng_u64
    function c_sl_rng_uniform(seed, k) bind(c, name='sl_rng_uniform')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      real(c_double) :: c_sl_rng_uniform
      integer(c_int64_t), value :: seed
      integer(c_int64_t), value :: k
    end function c_sl_rng_uniform
    function c_sl_rng_normal(seed, k) bind(c, name='sl_rng_normal')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      real(c_double) :: c_sl_rng_normal
      integer(c_int64_t), value :: seed
      integer(c_int64_t), value :: k
    end function c_sl_rng_normal
    subroutine c_sl_rng_fill_uniform(seed, first, n, lo, hi, out) bind(c, name='sl_rng_fill_uniform')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t), value :: seed
      integer(c_int64_t), value :: first
      integer(c_size_t), value :: n
      real(c_double), value :: lo
      real(c_double), value :: hi
      real(c_double), intent(out) :: out(*)
    end subroutine c_sl_rng_fill_uniform
    subroutine c_sl_rng_fill_normal(seed, first, n, mean, std, out) bind(c, name='sl_rng_fill_normal')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t), value :: seed
      integer(c_int64_t), value :: first
      integer(c_size_t), value :: n
      real(c_double), value :: mean
      real(c_double), value :: std
      real(c_double), intent(out) :: out(*)
    end subroutine c_sl_rng_fill_normal
    function c_sl_tensor_create(ctx, dtype, rank, shape, out) bind(c, name='sl_tensor_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_create
      type(c_ptr), value :: ctx
      integer(c_int), value :: dtype
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_create
    function c_sl_tensor_wrap(ctx, dtype, rank, shape, strides, data, out) bind(c, name='sl_tensor_wrap')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_wrap
      type(c_ptr), value :: ctx
      integer(c_int), value :: dtype
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      type(c_ptr), value :: strides
      type(c_ptr), value :: data
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_wrap
    subroutine c_sl_tensor_destroy(t) bind(c, name='sl_tensor_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: t
    end subroutine c_sl_tensor_destroy
    function c_sl_tensor_slice(t, axis, start, stop, step, out) bind(c, name='sl_tensor_slice')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_slice
      type(c_ptr), value :: t
      integer(c_int), value :: axis
      integer(c_int64_t), value :: start
      integer(c_int64_t), value :: stop
      integer(c_int64_t), value :: step
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_slice
    function c_sl_tensor_permute(t, perm, out) bind(c, name='sl_tensor_permute')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_permute
      type(c_ptr), value :: t
      integer(c_int), intent(in) :: perm(*)
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_permute
    function c_sl_tensor_transpose(t, axis0, axis1, out) bind(c, name='sl_tensor_transpose')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_transpose
      type(c_ptr), value :: t
      integer(c_int), value :: axis0
      integer(c_int), value :: axis1
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_transpose
    function c_sl_tensor_reshape(t, rank, shape, out) bind(c, name='sl_tensor_reshape')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_reshape
      type(c_ptr), value :: t
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_reshape
    function c_sl_tensor_clone(t, out) bind(c, name='sl_tensor_clone')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_clone
      type(c_ptr), value :: t
      type(c_ptr), intent(out) :: out
    end function c_sl_tensor_clone
    function c_sl_tensor_copy(dst, src) bind(c, name='sl_tensor_copy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_copy
      type(c_ptr), value :: dst
      type(c_ptr), value :: src
    end function c_sl_tensor_copy
    function c_sl_tensor_get(t, index, value) bind(c, name='sl_tensor_get')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_get
      type(c_ptr), value :: t
      integer(c_int64_t), intent(in) :: index(*)
      real(c_double), intent(out) :: value(*)
    end function c_sl_tensor_get
    function c_sl_tensor_set(t, index, value) bind(c, name='sl_tensor_set')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_set
      type(c_ptr), value :: t
      integer(c_int64_t), intent(in) :: index(*)
      real(c_double), intent(in) :: value(*)
    end function c_sl_tensor_set
    function c_sl_tensor_check_finite(t) bind(c, name='sl_tensor_check_finite')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_check_finite
      type(c_ptr), value :: t
    end function c_sl_tensor_check_finite
    function c_sl_tensor_dtype(t) bind(c, name='sl_tensor_dtype')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_dtype
      type(c_ptr), value :: t
    end function c_sl_tensor_dtype
    function c_sl_tensor_rank(t) bind(c, name='sl_tensor_rank')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_rank
      type(c_ptr), value :: t
    end function c_sl_tensor_rank
    function c_sl_tensor_dim(t, axis) bind(c, name='sl_tensor_dim')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_tensor_dim
      type(c_ptr), value :: t
      integer(c_int), value :: axis
    end function c_sl_tensor_dim
    function c_sl_tensor_stride(t, axis) bind(c, name='sl_tensor_stride')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_tensor_stride
      type(c_ptr), value :: t
      integer(c_int), value :: axis
    end function c_sl_tensor_stride
    function c_sl_tensor_numel(t) bind(c, name='sl_tensor_numel')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_tensor_numel
      type(c_ptr), value :: t
    end function c_sl_tensor_numel
    function c_sl_tensor_is_contiguous(t) bind(c, name='sl_tensor_is_contiguous')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_is_contiguous
      type(c_ptr), value :: t
    end function c_sl_tensor_is_contiguous
    function c_sl_tensor_fill(t, re, im) bind(c, name='sl_tensor_fill')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_fill
      type(c_ptr), value :: t
      real(c_double), value :: re
      real(c_double), value :: im
    end function c_sl_tensor_fill
    function c_sl_tensor_fill_uniform(t, seed, lo, hi) bind(c, name='sl_tensor_fill_uniform')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_fill_uniform
      type(c_ptr), value :: t
      integer(c_int64_t), value :: seed
      real(c_double), value :: lo
      real(c_double), value :: hi
    end function c_sl_tensor_fill_uniform
    function c_sl_tensor_fill_normal(t, seed, mean, std) bind(c, name='sl_tensor_fill_normal')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_tensor_fill_normal
      type(c_ptr), value :: t
      integer(c_int64_t), value :: seed
      real(c_double), value :: mean
      real(c_double), value :: std
    end function c_sl_tensor_fill_normal
    function c_sl_graph_create(ctx, out) bind(c, name='sl_graph_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_graph_create
      type(c_ptr), value :: ctx
      type(c_ptr), intent(out) :: out
    end function c_sl_graph_create
    subroutine c_sl_graph_destroy(g) bind(c, name='sl_graph_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: g
    end subroutine c_sl_graph_destroy
    function c_sl_graph_status(g) bind(c, name='sl_graph_status')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_graph_status
      type(c_ptr), value :: g
    end function c_sl_graph_status
    function c_sl_graph_node_count(g) bind(c, name='sl_graph_node_count')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_graph_node_count
      type(c_ptr), value :: g
    end function c_sl_graph_node_count
    function c_sl_graph_ctx(g) bind(c, name='sl_graph_ctx')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_ctx
      type(c_ptr), value :: g
    end function c_sl_graph_ctx
    function c_sl_graph_input(g, dtype, rank, shape, name) bind(c, name='sl_graph_input')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_input
      type(c_ptr), value :: g
      integer(c_int), value :: dtype
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      type(c_ptr), value :: name
    end function c_sl_graph_input
    function c_sl_graph_param(g, dtype, rank, shape, init, name) bind(c, name='sl_graph_param')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_param
      type(c_ptr), value :: g
      integer(c_int), value :: dtype
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      type(c_ptr), value :: init
      type(c_ptr), value :: name
    end function c_sl_graph_param
    function c_sl_graph_constant(g, dtype, rank, shape, data) bind(c, name='sl_graph_constant')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_constant
      type(c_ptr), value :: g
      integer(c_int), value :: dtype
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      type(c_ptr), value :: data
    end function c_sl_graph_constant
    function c_sl_graph_constant_tensor(g, t) bind(c, name='sl_graph_constant_tensor')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_constant_tensor
      type(c_ptr), value :: g
      type(c_ptr), value :: t
    end function c_sl_graph_constant_tensor
    function c_sl_graph_scalar(g, value) bind(c, name='sl_graph_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_scalar
      type(c_ptr), value :: g
      real(c_double), value :: value
    end function c_sl_graph_scalar
    function c_sl_graph_full(g, dtype, rank, shape, re, im) bind(c, name='sl_graph_full')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_full
      type(c_ptr), value :: g
      integer(c_int), value :: dtype
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
      real(c_double), value :: re
      real(c_double), value :: im
    end function c_sl_graph_full
    function c_sl_graph_eye(g, dtype, n) bind(c, name='sl_graph_eye')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_eye
      type(c_ptr), value :: g
      integer(c_int), value :: dtype
      integer(c_int64_t), value :: n
    end function c_sl_graph_eye
    function c_sl_node_dtype(n) bind(c, name='sl_node_dtype')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_node_dtype
      type(c_ptr), value :: n
    end function c_sl_node_dtype
    function c_sl_node_rank(n) bind(c, name='sl_node_rank')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_node_rank
      type(c_ptr), value :: n
    end function c_sl_node_rank
    function c_sl_node_dim(n, axis) bind(c, name='sl_node_dim')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_node_dim
      type(c_ptr), value :: n
      integer(c_int), value :: axis
    end function c_sl_node_dim
    function c_sl_node_numel(n) bind(c, name='sl_node_numel')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_node_numel
      type(c_ptr), value :: n
    end function c_sl_node_numel
    function c_sl_node_name(n) bind(c, name='sl_node_name')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_node_name
      type(c_ptr), value :: n
    end function c_sl_node_name
    function c_sl_node_op_name(n) bind(c, name='sl_node_op_name')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_node_op_name
      type(c_ptr), value :: n
    end function c_sl_node_op_name
    function c_sl_node_data(n) bind(c, name='sl_node_data')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_node_data
      type(c_ptr), value :: n
    end function c_sl_node_data
    function c_sl_graph_mul_complex_scalar(g, x, re, im) bind(c, name='sl_graph_mul_complex_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_mul_complex_scalar
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      real(c_double), value :: re
      real(c_double), value :: im
    end function c_sl_graph_mul_complex_scalar
    function c_sl_graph_matmul_ex(g, a, op_a, b, op_b) bind(c, name='sl_graph_matmul_ex')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_matmul_ex
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      integer(c_int), value :: op_a
      type(c_ptr), value :: b
      integer(c_int), value :: op_b
    end function c_sl_graph_matmul_ex
    function c_sl_graph_permute(g, x, perm) bind(c, name='sl_graph_permute')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_permute
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), intent(in) :: perm(*)
    end function c_sl_graph_permute
    function c_sl_graph_reshape(g, x, rank, shape) bind(c, name='sl_graph_reshape')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_reshape
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
    end function c_sl_graph_reshape
    function c_sl_graph_slice(g, x, axis, start, stop, step) bind(c, name='sl_graph_slice')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_slice
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: axis
      integer(c_int64_t), value :: start
      integer(c_int64_t), value :: stop
      integer(c_int64_t), value :: step
    end function c_sl_graph_slice
    function c_sl_graph_gather(g, x, axis, count, index) bind(c, name='sl_graph_gather')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_gather
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: axis
      integer(c_int64_t), value :: count
      integer(c_int64_t), intent(in) :: index(*)
    end function c_sl_graph_gather
    function c_sl_graph_concat(g, n, xs, axis) bind(c, name='sl_graph_concat')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_concat
      type(c_ptr), value :: g
      integer(c_int), value :: n
      type(c_ptr), intent(in) :: xs(*)
      integer(c_int), value :: axis
    end function c_sl_graph_concat
    function c_sl_graph_broadcast(g, x, rank, shape) bind(c, name='sl_graph_broadcast')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_broadcast
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: rank
      integer(c_int64_t), intent(in) :: shape(*)
    end function c_sl_graph_broadcast
    function c_sl_graph_roll(g, x, axis, shift) bind(c, name='sl_graph_roll')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_roll
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: axis
      integer(c_int64_t), value :: shift
    end function c_sl_graph_roll
    function c_sl_graph_sum_axes(g, x, naxes, axes, keepdims) bind(c, name='sl_graph_sum_axes')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_sum_axes
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: naxes
      integer(c_int), intent(in) :: axes(*)
      integer(c_int), value :: keepdims
    end function c_sl_graph_sum_axes
    function c_sl_graph_mean_axes(g, x, naxes, axes, keepdims) bind(c, name='sl_graph_mean_axes')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_mean_axes
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      integer(c_int), value :: naxes
      integer(c_int), intent(in) :: axes(*)
      integer(c_int), value :: keepdims
    end function c_sl_graph_mean_axes
    function c_sl_graph_grad(g, y, n, xs, out) bind(c, name='sl_graph_grad')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_graph_grad
      type(c_ptr), value :: g
      type(c_ptr), value :: y
      integer(c_int), value :: n
      type(c_ptr), intent(in) :: xs(*)
      type(c_ptr), intent(out) :: out(*)
    end function c_sl_graph_grad
    function c_sl_graph_grad1(g, y, x) bind(c, name='sl_graph_grad1')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_grad1
      type(c_ptr), value :: g
      type(c_ptr), value :: y
      type(c_ptr), value :: x
    end function c_sl_graph_grad1
    function c_sl_plan_create(g, nout, outputs, out) bind(c, name='sl_plan_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_plan_create
      type(c_ptr), value :: g
      integer(c_int), value :: nout
      type(c_ptr), intent(in) :: outputs(*)
      type(c_ptr), intent(out) :: out
    end function c_sl_plan_create
    subroutine c_sl_plan_destroy(p) bind(c, name='sl_plan_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: p
    end subroutine c_sl_plan_destroy
    function c_sl_plan_bind(p, input, data) bind(c, name='sl_plan_bind')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_plan_bind
      type(c_ptr), value :: p
      type(c_ptr), value :: input
      type(c_ptr), value :: data
    end function c_sl_plan_bind
    function c_sl_plan_bind_tensor(p, input, t) bind(c, name='sl_plan_bind_tensor')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_plan_bind_tensor
      type(c_ptr), value :: p
      type(c_ptr), value :: input
      type(c_ptr), value :: t
    end function c_sl_plan_bind_tensor
    function c_sl_plan_run(p) bind(c, name='sl_plan_run')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_plan_run
      type(c_ptr), value :: p
    end function c_sl_plan_run
    function c_sl_plan_set_check_finite(p, on) bind(c, name='sl_plan_set_check_finite')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_plan_set_check_finite
      type(c_ptr), value :: p
      integer(c_int), value :: on
    end function c_sl_plan_set_check_finite
    function c_sl_plan_set_cache_data(p, on) bind(c, name='sl_plan_set_cache_data')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_plan_set_cache_data
      type(c_ptr), value :: p
      integer(c_int), value :: on
    end function c_sl_plan_set_cache_data
    function c_sl_plan_output(p, i) bind(c, name='sl_plan_output')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_plan_output
      type(c_ptr), value :: p
      integer(c_int), value :: i
    end function c_sl_plan_output
    function c_sl_plan_value(p, output) bind(c, name='sl_plan_value')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_plan_value
      type(c_ptr), value :: p
      type(c_ptr), value :: output
    end function c_sl_plan_value
    function c_sl_plan_scalar(p, i) bind(c, name='sl_plan_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      real(c_double) :: c_sl_plan_scalar
      type(c_ptr), value :: p
      integer(c_int), value :: i
    end function c_sl_plan_scalar
    function c_sl_plan_bytes(p) bind(c, name='sl_plan_bytes')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_size_t) :: c_sl_plan_bytes
      type(c_ptr), value :: p
    end function c_sl_plan_bytes
    function c_sl_plan_steps(p) bind(c, name='sl_plan_steps')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_plan_steps
      type(c_ptr), value :: p
    end function c_sl_plan_steps
    subroutine c_sl_optim_opts_init(opts, kind) bind(c, name='sl_optim_opts_init')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_optim_opts
      type(sl_optim_opts), intent(inout) :: opts
      integer(c_int), value :: kind
    end subroutine c_sl_optim_opts_init
    function c_sl_optim_create(g, loss, nparams, params, opts, out) bind(c, name='sl_optim_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_optim_opts
      integer(c_int) :: c_sl_optim_create
      type(c_ptr), value :: g
      type(c_ptr), value :: loss
      integer(c_int), value :: nparams
      type(c_ptr), value :: params
      type(sl_optim_opts), intent(in) :: opts
      type(c_ptr), intent(out) :: out
    end function c_sl_optim_create
    subroutine c_sl_optim_destroy(o) bind(c, name='sl_optim_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: o
    end subroutine c_sl_optim_destroy
    function c_sl_optim_plan(o) bind(c, name='sl_optim_plan')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_optim_plan
      type(c_ptr), value :: o
    end function c_sl_optim_plan
    function c_sl_optim_bind(o, input, data) bind(c, name='sl_optim_bind')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_optim_bind
      type(c_ptr), value :: o
      type(c_ptr), value :: input
      type(c_ptr), value :: data
    end function c_sl_optim_bind
    function c_sl_optim_step(o, loss) bind(c, name='sl_optim_step')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_optim_step
      type(c_ptr), value :: o
      real(c_double), intent(out) :: loss
    end function c_sl_optim_step
    function c_sl_optim_eval(o, loss) bind(c, name='sl_optim_eval')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_optim_eval
      type(c_ptr), value :: o
      real(c_double), intent(out) :: loss
    end function c_sl_optim_eval
    function c_sl_optim_set_lr(o, lr) bind(c, name='sl_optim_set_lr')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_optim_set_lr
      type(c_ptr), value :: o
      real(c_double), value :: lr
    end function c_sl_optim_set_lr
    function c_sl_optim_steps(o) bind(c, name='sl_optim_steps')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_optim_steps
      type(c_ptr), value :: o
    end function c_sl_optim_steps
    subroutine c_sl_optim_reset(o) bind(c, name='sl_optim_reset')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: o
    end subroutine c_sl_optim_reset
    function c_sl_graph_neg(g, x) bind(c, name='sl_graph_neg')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_neg
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_neg
    function c_sl_graph_square(g, x) bind(c, name='sl_graph_square')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_square
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_square
    function c_sl_graph_exp(g, x) bind(c, name='sl_graph_exp')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_exp
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_exp
    function c_sl_graph_log(g, x) bind(c, name='sl_graph_log')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_log
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_log
    function c_sl_graph_sqrt(g, x) bind(c, name='sl_graph_sqrt')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_sqrt
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_sqrt
    function c_sl_graph_sin(g, x) bind(c, name='sl_graph_sin')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_sin
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_sin
    function c_sl_graph_cos(g, x) bind(c, name='sl_graph_cos')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_cos
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_cos
    function c_sl_graph_tanh(g, x) bind(c, name='sl_graph_tanh')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_tanh
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_tanh
    function c_sl_graph_sigmoid(g, x) bind(c, name='sl_graph_sigmoid')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_sigmoid
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_sigmoid
    function c_sl_graph_softplus(g, x) bind(c, name='sl_graph_softplus')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_softplus
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_softplus
    function c_sl_graph_relu(g, x) bind(c, name='sl_graph_relu')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_relu
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_relu
    function c_sl_graph_abs(g, x) bind(c, name='sl_graph_abs')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_abs
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_abs
    function c_sl_graph_conj(g, x) bind(c, name='sl_graph_conj')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_conj
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_conj
    function c_sl_graph_real(g, x) bind(c, name='sl_graph_real')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_real
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_real
    function c_sl_graph_imag(g, x) bind(c, name='sl_graph_imag')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_imag
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_imag
    function c_sl_graph_view_real(g, x) bind(c, name='sl_graph_view_real')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_view_real
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_view_real
    function c_sl_graph_view_complex(g, x) bind(c, name='sl_graph_view_complex')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_view_complex
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_view_complex
    function c_sl_graph_trace(g, x) bind(c, name='sl_graph_trace')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_trace
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_trace
    function c_sl_graph_transpose(g, x) bind(c, name='sl_graph_transpose')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_transpose
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_transpose
    function c_sl_graph_adjoint(g, x) bind(c, name='sl_graph_adjoint')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_adjoint
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_adjoint
    function c_sl_graph_sum(g, x) bind(c, name='sl_graph_sum')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_sum
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_sum
    function c_sl_graph_mean(g, x) bind(c, name='sl_graph_mean')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_mean
      type(c_ptr), value :: g
      type(c_ptr), value :: x
    end function c_sl_graph_mean
    function c_sl_graph_add(g, a, b) bind(c, name='sl_graph_add')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_add
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_add
    function c_sl_graph_sub(g, a, b) bind(c, name='sl_graph_sub')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_sub
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_sub
    function c_sl_graph_mul(g, a, b) bind(c, name='sl_graph_mul')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_mul
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_mul
    function c_sl_graph_div(g, a, b) bind(c, name='sl_graph_div')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_div
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_div
    function c_sl_graph_pow(g, a, b) bind(c, name='sl_graph_pow')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_pow
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_pow
    function c_sl_graph_matmul(g, a, b) bind(c, name='sl_graph_matmul')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_matmul
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_matmul
    function c_sl_graph_dot(g, a, b) bind(c, name='sl_graph_dot')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_dot
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
    end function c_sl_graph_dot
    function c_sl_graph_complex(g, re, im) bind(c, name='sl_graph_complex')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_complex
      type(c_ptr), value :: g
      type(c_ptr), value :: re
      type(c_ptr), value :: im
    end function c_sl_graph_complex
    function c_sl_graph_add_scalar(g, x, s) bind(c, name='sl_graph_add_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_add_scalar
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      real(c_double), value :: s
    end function c_sl_graph_add_scalar
    function c_sl_graph_mul_scalar(g, x, s) bind(c, name='sl_graph_mul_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_mul_scalar
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      real(c_double), value :: s
    end function c_sl_graph_mul_scalar
    function c_sl_graph_pow_scalar(g, x, s) bind(c, name='sl_graph_pow_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_pow_scalar
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      real(c_double), value :: s
    end function c_sl_graph_pow_scalar
    function c_sl_graph_rsub_scalar(g, x, s) bind(c, name='sl_graph_rsub_scalar')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_rsub_scalar
      type(c_ptr), value :: g
      type(c_ptr), value :: x
      real(c_double), value :: s
    end function c_sl_graph_rsub_scalar
  end interface

  interface
    function c_strlen(s) bind(c, name='strlen')
      import :: c_ptr, c_size_t
      integer(c_size_t) :: c_strlen
      type(c_ptr), value :: s
    end function c_strlen
  end interface

  interface sl_associated
    module procedure assoc_symmetry_opts, assoc_symmetry_result
  end interface sl_associated

  ! bind(c) interfaces of discover.h and analysis.h
  interface
    function c_sl_symmetry_opts_create(ctx, out) bind(c, name='sl_symmetry_opts_create')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_create
      type(c_ptr), value :: ctx
      type(c_ptr), intent(out) :: out
    end function c_sl_symmetry_opts_create
    subroutine c_sl_symmetry_opts_destroy(o) bind(c, name='sl_symmetry_opts_destroy')
      import :: c_ptr
      type(c_ptr), value :: o
    end subroutine c_sl_symmetry_opts_destroy
    function c_sl_symmetry_opts_oracle_quadratic(o, n, g) bind(c, name='sl_symmetry_opts_oracle_quadratic')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_oracle_quadratic
      type(c_ptr), value :: o, g
      integer(c_int), value :: n
    end function c_sl_symmetry_opts_oracle_quadratic
    function c_sl_symmetry_opts_oracle_norm(o, n) bind(c, name='sl_symmetry_opts_oracle_norm')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_oracle_norm
      type(c_ptr), value :: o
      integer(c_int), value :: n
    end function c_sl_symmetry_opts_oracle_norm
    function c_sl_symmetry_opts_oracle_hermitian(o, n, h) bind(c, name='sl_symmetry_opts_oracle_hermitian')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_oracle_hermitian
      type(c_ptr), value :: o, h
      integer(c_int), value :: n
    end function c_sl_symmetry_opts_oracle_hermitian
    function c_sl_symmetry_opts_oracle_determinant(o, n, is_complex) &
        bind(c, name='sl_symmetry_opts_oracle_determinant')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_oracle_determinant
      type(c_ptr), value :: o
      integer(c_int), value :: n, is_complex
    end function c_sl_symmetry_opts_oracle_determinant
    function c_sl_symmetry_opts_oracle_octonion_3form(o) bind(c, name='sl_symmetry_opts_oracle_octonion_3form')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_oracle_octonion_3form
      type(c_ptr), value :: o
    end function c_sl_symmetry_opts_oracle_octonion_3form
    function c_sl_symmetry_opts_oracle_albert(o, with_trace) bind(c, name='sl_symmetry_opts_oracle_albert')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_oracle_albert
      type(c_ptr), value :: o
      integer(c_int), value :: with_trace
    end function c_sl_symmetry_opts_oracle_albert
    function c_sl_symmetry_opts_set_samples(o, m, x) bind(c, name='sl_symmetry_opts_set_samples')
      import :: c_int, c_int64_t, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_samples
      type(c_ptr), value :: o, x
      integer(c_int64_t), value :: m
    end function c_sl_symmetry_opts_set_samples
    function c_sl_symmetry_opts_set_samples_count(o, m) bind(c, name='sl_symmetry_opts_set_samples_count')
      import :: c_int, c_int64_t, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_samples_count
      type(c_ptr), value :: o
      integer(c_int64_t), value :: m
    end function c_sl_symmetry_opts_set_samples_count
    function c_sl_symmetry_opts_set_seed(o, seed) bind(c, name='sl_symmetry_opts_set_seed')
      import :: c_int, c_int64_t, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_seed
      type(c_ptr), value :: o
      integer(c_int64_t), value :: seed
    end function c_sl_symmetry_opts_set_seed
    function c_sl_symmetry_opts_set_solver(o, v) bind(c, name='sl_symmetry_opts_set_solver')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_solver
      type(c_ptr), value :: o
      integer(c_int), value :: v
    end function c_sl_symmetry_opts_set_solver
    function c_sl_symmetry_opts_set_generators(o, v) bind(c, name='sl_symmetry_opts_set_generators')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_generators
      type(c_ptr), value :: o
      integer(c_int), value :: v
    end function c_sl_symmetry_opts_set_generators
    function c_sl_symmetry_opts_set_sparsify(o, v) bind(c, name='sl_symmetry_opts_set_sparsify')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_sparsify
      type(c_ptr), value :: o
      integer(c_int), value :: v
    end function c_sl_symmetry_opts_set_sparsify
    function c_sl_symmetry_opts_preset_reference(o, v) bind(c, name='sl_symmetry_opts_preset_reference')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_preset_reference
      type(c_ptr), value :: o
      integer(c_int), value :: v
    end function c_sl_symmetry_opts_preset_reference
    function c_sl_symmetry_opts_set_scan(o, lo, hi) bind(c, name='sl_symmetry_opts_set_scan')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_scan
      type(c_ptr), value :: o
      integer(c_int), value :: lo, hi
    end function c_sl_symmetry_opts_set_scan
    function c_sl_symmetry_opts_set_closure(o, mode, quartic) bind(c, name='sl_symmetry_opts_set_closure')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_closure
      type(c_ptr), value :: o
      integer(c_int), value :: mode, quartic
    end function c_sl_symmetry_opts_set_closure
    function c_sl_symmetry_opts_set_invariance(o, mode, eps) bind(c, name='sl_symmetry_opts_set_invariance')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_invariance
      type(c_ptr), value :: o
      integer(c_int), value :: mode
      real(c_double), value :: eps
    end function c_sl_symmetry_opts_set_invariance
    function c_sl_symmetry_opts_set_weights(o, w1, w2, w3, w4, w5) bind(c, name='sl_symmetry_opts_set_weights')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_weights
      type(c_ptr), value :: o
      real(c_double), value :: w1, w2, w3, w4, w5
    end function c_sl_symmetry_opts_set_weights
    function c_sl_symmetry_opts_set_training(o, adam, lr, lbfgs) bind(c, name='sl_symmetry_opts_set_training')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_training
      type(c_ptr), value :: o
      integer(c_int), value :: adam, lbfgs
      real(c_double), value :: lr
    end function c_sl_symmetry_opts_set_training
    function c_sl_symmetry_opts_set_tolerance(o, tol) bind(c, name='sl_symmetry_opts_set_tolerance')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_opts_set_tolerance
      type(c_ptr), value :: o
      real(c_double), value :: tol
    end function c_sl_symmetry_opts_set_tolerance
    function c_sl_discover_symmetries(ctx, opts, out) bind(c, name='sl_discover_symmetries')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_discover_symmetries
      type(c_ptr), value :: ctx, opts
      type(c_ptr), intent(out) :: out
    end function c_sl_discover_symmetries
    subroutine c_sl_symmetry_result_destroy(r) bind(c, name='sl_symmetry_result_destroy')
      import :: c_ptr
      type(c_ptr), value :: r
    end subroutine c_sl_symmetry_result_destroy
    function c_sl_symmetry_result_dim(r) bind(c, name='sl_symmetry_result_dim')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_dim
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_dim
    function c_sl_symmetry_result_n(r) bind(c, name='sl_symmetry_result_n')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_n
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_n
    function c_sl_symmetry_result_rank(r) bind(c, name='sl_symmetry_result_rank')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_rank
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_rank
    function c_sl_symmetry_result_centre_dim(r) bind(c, name='sl_symmetry_result_centre_dim')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_centre_dim
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_centre_dim
    function c_sl_symmetry_result_is_compact(r) bind(c, name='sl_symmetry_result_is_compact')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_is_compact
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_is_compact
    function c_sl_symmetry_result_generators(r) bind(c, name='sl_symmetry_result_generators')
      import :: c_ptr
      type(c_ptr) :: c_sl_symmetry_result_generators
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_generators
    function c_sl_symmetry_result_structure_constants(r) bind(c, name='sl_symmetry_result_structure_constants')
      import :: c_ptr
      type(c_ptr) :: c_sl_symmetry_result_structure_constants
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_structure_constants
    function c_sl_symmetry_result_killing_form(r) bind(c, name='sl_symmetry_result_killing_form')
      import :: c_ptr
      type(c_ptr) :: c_sl_symmetry_result_killing_form
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_killing_form
    function c_sl_symmetry_result_killing_eigenvalues(r) bind(c, name='sl_symmetry_result_killing_eigenvalues')
      import :: c_ptr
      type(c_ptr) :: c_sl_symmetry_result_killing_eigenvalues
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_killing_eigenvalues
    function c_sl_symmetry_result_signature(r, nneg, npos, nzero) bind(c, name='sl_symmetry_result_signature')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_signature
      type(c_ptr), value :: r
      integer(c_int), intent(out) :: nneg, npos, nzero
    end function c_sl_symmetry_result_signature
    function c_sl_symmetry_result_name(r) bind(c, name='sl_symmetry_result_name')
      import :: c_ptr
      type(c_ptr) :: c_sl_symmetry_result_name
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_name
    function c_sl_symmetry_result_closure_residual(r) bind(c, name='sl_symmetry_result_closure_residual')
      import :: c_double, c_ptr
      real(c_double) :: c_sl_symmetry_result_closure_residual
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_closure_residual
    function c_sl_symmetry_result_singular_gap(r) bind(c, name='sl_symmetry_result_singular_gap')
      import :: c_double, c_ptr
      real(c_double) :: c_sl_symmetry_result_singular_gap
      type(c_ptr), value :: r
    end function c_sl_symmetry_result_singular_gap
    function c_sl_symmetry_result_loss(r, term) bind(c, name='sl_symmetry_result_loss')
      import :: c_double, c_int, c_ptr
      real(c_double) :: c_sl_symmetry_result_loss
      type(c_ptr), value :: r
      integer(c_int), value :: term
    end function c_sl_symmetry_result_loss
    function c_sl_symmetry_result_save(r, path) bind(c, name='sl_symmetry_result_save')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_save
      type(c_ptr), value :: r, path
    end function c_sl_symmetry_result_save
    function c_sl_symmetry_result_export_csv(r, path) bind(c, name='sl_symmetry_result_export_csv')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_export_csv
      type(c_ptr), value :: r, path
    end function c_sl_symmetry_result_export_csv
    function c_sl_symmetry_result_export_json(r, path) bind(c, name='sl_symmetry_result_export_json')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_export_json
      type(c_ptr), value :: r, path
    end function c_sl_symmetry_result_export_json
    function c_sl_symmetry_result_write_ppm(r, which, path) bind(c, name='sl_symmetry_result_write_ppm')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_write_ppm
      type(c_ptr), value :: r, path
      integer(c_int), value :: which
    end function c_sl_symmetry_result_write_ppm
    function c_sl_symmetry_result_load(ctx, path, out) bind(c, name='sl_symmetry_result_load')
      import :: c_int, c_ptr
      integer(c_int) :: c_sl_symmetry_result_load
      type(c_ptr), value :: ctx, path
      type(c_ptr), intent(out) :: out
    end function c_sl_symmetry_result_load
    function c_sl_lie_structure_constants(ctx, d, n, gens, f, residual) bind(c, name='sl_lie_structure_constants')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_lie_structure_constants
      type(c_ptr), value :: ctx
      integer(c_int), value :: d, n
      real(c_double), intent(in) :: gens(*)
      real(c_double), intent(out) :: f(*)
      real(c_double), intent(out) :: residual
    end function c_sl_lie_structure_constants
    function c_sl_lie_killing_form(ctx, d, f, k) bind(c, name='sl_lie_killing_form')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_lie_killing_form
      type(c_ptr), value :: ctx
      integer(c_int), value :: d
      real(c_double), intent(in) :: f(*)
      real(c_double), intent(out) :: k(*)
    end function c_sl_lie_killing_form
    function c_sl_lie_span_distance(ctx, n, da, a, db, b, dist) bind(c, name='sl_lie_span_distance')
      import :: c_double, c_int, c_ptr
      integer(c_int) :: c_sl_lie_span_distance
      type(c_ptr), value :: ctx
      integer(c_int), value :: n, da, db
      real(c_double), intent(in) :: a(*), b(*)
      real(c_double), intent(out) :: dist
    end function c_sl_lie_span_distance
  end interface

  ! ---- Lattice (symlearn/lattice.h) -------------------------------------------
  ! Gauge fields in the host's layout, SU(N) utilities, Monte Carlo, NERSC files,
  ! the L-CNN layers (graph ops) and models; docs/lattice.md is the tutorial.
  ! Handles sl_gauge and sl_lcnn as above.  Directions mu and the layout's dims
  ! are counted as in C (lay%dims(1) is the extent of direction 0, mu = 0 ..
  ! nd-1): they name lattice directions, not array axes, so nothing is reversed.
  ! A Fortran array u(N, N, nd, L_{nd-1}, .., L0) is the C array
  ! [L0]..[L_{nd-1}][nd][N][N] with each colour matrix transposed: describe it
  ! with order = SL_GAUGE_ORDER_CUSTOM, colour_major = 1 (and site_order
  ! SL_SITES_LEX_X_FASTEST when the first site index, not the last, is
  ! direction 0, e.g. u(N, N, nd, Lx, Lt) with u(:,:,1,:,:) the x links).
  ! sl_gauge_wrap and sl_gauge_export take a complex(c_double_complex) or
  ! real(c_double) (re, im interleaved) array of rank 1..8, contiguous
  ! (checked: SL_ERR_ARG) and, for wrap, a TARGET that stays in place while
  ! the sl_gauge lives (it is read in place or by sl_gauge_refresh); its size is
  ! checked against the layout (SL_ERR_SHAPE) where the order fixes it.  A
  ! type(c_ptr) data argument is passed on unchecked (QDP's array of nd
  ! pointers, MILC_SITE structs).  The count-explicit calls (SU(N) utilities,
  ! sl_gauge_transform*, sl_lcnn_predict_batch, sl_lcnn_train) take
  ! assumed-size arrays as in C: any contiguous array with at least the stated
  ! number of elements.  sl_lcnn_predict fills a real array of any rank with
  ! volume (per-site head, canonical site order) or 1 (pooled) elements.
  integer(c_int), parameter, public :: SL_LATTICE_MAX_DIM = 6
  integer(c_int), parameter, public :: SL_GAUGE_ORDER_CANONICAL = 0, SL_GAUGE_ORDER_CUSTOM = 1, &
      SL_GAUGE_ORDER_QDP = 2, SL_GAUGE_ORDER_MILC = 3, SL_GAUGE_ORDER_MILC_SITE = 4, &
      SL_GAUGE_ORDER_CPS = 5, SL_GAUGE_ORDER_BQCD = 6, SL_GAUGE_ORDER_TIFR = 7, &
      SL_GAUGE_ORDER_OPENQCD = 8
  integer(c_int), parameter, public :: SL_SITES_LEX_T_FASTEST = 0, SL_SITES_LEX_X_FASTEST = 1, &
      SL_SITES_EO_T_FASTEST = 2, SL_SITES_EO_X_FASTEST = 3
  integer(c_int), parameter, public :: SL_LACT_RELU = 0, SL_LACT_TANH = 1, SL_LACT_POLY = 2
  integer(c_int), parameter, public :: SL_LCNN_MAX_LAYERS = 16, SL_LCNN_HEAD_SITE = 0, &
      SL_LCNN_HEAD_POOLED = 1

  type, public :: sl_gauge
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_gauge
  type, public :: sl_lcnn
    private
    type(c_ptr) :: ptr = c_null_ptr
  end type sl_lcnn

  ! Mirror of C sl_gauge_layout, field for field (size 120 bytes on LP64).
  ! Fill it with sl_gauge_layout_init(lay) (SL_GAUGE_LAYOUT_INIT, size =
  ! c_sizeof(lay)), then set order, nd, nc, dims and what the order uses.
  type, bind(c), public :: sl_gauge_layout
    integer(c_size_t) :: size = 0
    integer(c_int) :: order = 0
    integer(c_int) :: nd = 0
    integer(c_int) :: nc = 0
    integer(c_int64_t) :: dims(SL_LATTICE_MAX_DIM) = 0
    integer(c_int) :: site_order = 0
    integer(c_int) :: direction_major = 0
    integer(c_int) :: colour_major = 0
    integer(c_int64_t) :: pad = 0
    integer(c_size_t) :: site_size = 0
    integer(c_size_t) :: link_offset = 0
    type(c_ptr) :: site_index = c_null_ptr
  end type sl_gauge_layout

  ! Mirror of C sl_lcnn_opts; sl_lcnn_opts_init(opts) sets the defaults of
  ! SL_LCNN_OPTS_INIT and size = c_sizeof(opts).  channels(i), kernels(i) are
  ! those of layer i (1-based here, layer i-1 in C).
  type, bind(c), public :: sl_lcnn_opts
    integer(c_size_t) :: size = 0
    integer(c_int) :: nd = 2, nc = 2
    integer(c_int) :: nlayers = 0
    integer(c_int) :: channels(SL_LCNN_MAX_LAYERS) = 0
    integer(c_int) :: kernels(SL_LCNN_MAX_LAYERS) = 0
    integer(c_int) :: dilation = 0
    integer(c_int) :: symmetric = 0
    integer(c_int) :: orientations = 1
    integer(c_int) :: head = SL_LCNN_HEAD_SITE
    integer(c_int64_t) :: seed = 0
  end type sl_lcnn_opts

  ! Mirror of C sl_lcnn_train_opts; sl_lcnn_train_opts_init(opts) sets the
  ! defaults.  progress: c_funloc of a bind(c) subroutine
  ! (user, epoch, train_loss, val_loss) with type(c_ptr), value :: user,
  ! integer(c_int), value :: epoch and real(c_double), value :: the losses.
  type, bind(c), public :: sl_lcnn_train_opts
    integer(c_size_t) :: size = 0
    integer(c_int) :: epochs = 100
    integer(c_int) :: batch = 100
    real(c_double) :: lr = 1.0e-3_c_double
    integer(c_int) :: amsgrad = 1
    real(c_double) :: weight_decay = 0
    integer(c_int) :: patience = 0
    integer(c_int64_t) :: seed = 0
    type(c_funptr) :: progress = c_null_funptr
    type(c_ptr) :: progress_user = c_null_ptr
  end type sl_lcnn_train_opts

  interface sl_associated
    module procedure assoc_gauge, assoc_lcnn
  end interface sl_associated

  interface sl_gauge_wrap
    module procedure gauge_wrap_ptr
    module procedure gauge_wrap_c128_1, gauge_wrap_c128_2, gauge_wrap_c128_3, gauge_wrap_c128_4, &
      gauge_wrap_c128_5, gauge_wrap_c128_6, gauge_wrap_c128_7, gauge_wrap_c128_8, &
      gauge_wrap_f64_1, gauge_wrap_f64_2, gauge_wrap_f64_3, gauge_wrap_f64_4, gauge_wrap_f64_5, &
      gauge_wrap_f64_6, gauge_wrap_f64_7, gauge_wrap_f64_8
  end interface sl_gauge_wrap

  interface sl_gauge_export
    module procedure gauge_export_ptr
    module procedure gauge_export_c128_1, gauge_export_c128_2, gauge_export_c128_3, &
      gauge_export_c128_4, gauge_export_c128_5, gauge_export_c128_6, gauge_export_c128_7, &
      gauge_export_c128_8, gauge_export_f64_1, gauge_export_f64_2, gauge_export_f64_3, &
      gauge_export_f64_4, gauge_export_f64_5, gauge_export_f64_6, gauge_export_f64_7, &
      gauge_export_f64_8
  end interface sl_gauge_export

  interface sl_gauge_copy_canonical
    module procedure gauge_copy_canonical_c128_1, gauge_copy_canonical_c128_2, &
      gauge_copy_canonical_c128_3, gauge_copy_canonical_c128_4, gauge_copy_canonical_c128_5, &
      gauge_copy_canonical_c128_6, gauge_copy_canonical_c128_7, gauge_copy_canonical_c128_8
  end interface sl_gauge_copy_canonical

  interface sl_lcnn_predict
    module procedure lcnn_predict_f64_0, lcnn_predict_f64_1, lcnn_predict_f64_2, &
      lcnn_predict_f64_3, lcnn_predict_f64_4, lcnn_predict_f64_5, lcnn_predict_f64_6, &
      lcnn_predict_f64_7, lcnn_predict_f64_8
  end interface sl_lcnn_predict

  interface
    function c_sl_gauge_create(ctx, nd, dims, nc, out) bind(c, name='sl_gauge_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_create
      type(c_ptr), value :: ctx
      integer(c_int), value :: nd
      integer(c_int64_t), intent(in) :: dims(*)
      integer(c_int), value :: nc
      type(c_ptr), intent(out) :: out
    end function c_sl_gauge_create
    function c_sl_gauge_wrap(ctx, lay, data, out) bind(c, name='sl_gauge_wrap')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_gauge_layout
      integer(c_int) :: c_sl_gauge_wrap
      type(c_ptr), value :: ctx
      type(sl_gauge_layout), intent(in) :: lay
      type(c_ptr), value :: data
      type(c_ptr), intent(out) :: out
    end function c_sl_gauge_wrap
    function c_sl_gauge_refresh(u) bind(c, name='sl_gauge_refresh')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_refresh
      type(c_ptr), value :: u
    end function c_sl_gauge_refresh
    function c_sl_gauge_export(u, lay, data) bind(c, name='sl_gauge_export')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_gauge_layout
      integer(c_int) :: c_sl_gauge_export
      type(c_ptr), value :: u
      type(sl_gauge_layout), intent(in) :: lay
      type(c_ptr), value :: data
    end function c_sl_gauge_export
    subroutine c_sl_gauge_destroy(u) bind(c, name='sl_gauge_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: u
    end subroutine c_sl_gauge_destroy
    function c_sl_gauge_nd(u) bind(c, name='sl_gauge_nd')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_nd
      type(c_ptr), value :: u
    end function c_sl_gauge_nd
    function c_sl_gauge_nc(u) bind(c, name='sl_gauge_nc')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_nc
      type(c_ptr), value :: u
    end function c_sl_gauge_nc
    function c_sl_gauge_volume(u) bind(c, name='sl_gauge_volume')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_gauge_volume
      type(c_ptr), value :: u
    end function c_sl_gauge_volume
    subroutine c_sl_gauge_dims(u, dims) bind(c, name='sl_gauge_dims')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: u
      integer(c_int64_t), intent(out) :: dims(*)
    end subroutine c_sl_gauge_dims
    function c_sl_gauge_in_place(u) bind(c, name='sl_gauge_in_place')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_in_place
      type(c_ptr), value :: u
    end function c_sl_gauge_in_place
    function c_sl_gauge_tensor(u) bind(c, name='sl_gauge_tensor')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_gauge_tensor
      type(c_ptr), value :: u
    end function c_sl_gauge_tensor
    function c_sl_gauge_data(u) bind(c, name='sl_gauge_data')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_gauge_data
      type(c_ptr), value :: u
    end function c_sl_gauge_data
    function c_sl_gauge_copy_canonical(u, out) bind(c, name='sl_gauge_copy_canonical')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_gauge_copy_canonical
      type(c_ptr), value :: u
      complex(c_double_complex), intent(out) :: out(*)
    end function c_sl_gauge_copy_canonical
    function c_sl_gauge_plaquette(u, plaq) bind(c, name='sl_gauge_plaquette')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_plaquette
      type(c_ptr), value :: u
      real(c_double), intent(out) :: plaq
    end function c_sl_gauge_plaquette
    function c_sl_gauge_link_trace(u, trace) bind(c, name='sl_gauge_link_trace')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_link_trace
      type(c_ptr), value :: u
      real(c_double), intent(out) :: trace
    end function c_sl_gauge_link_trace
    function c_sl_su_random(ctx, nc, count, seed, out) bind(c, name='sl_su_random')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_su_random
      type(c_ptr), value :: ctx
      integer(c_int), value :: nc
      integer(c_int64_t), value :: count
      integer(c_int64_t), value :: seed
      complex(c_double_complex), intent(out) :: out(*)
    end function c_sl_su_random
    function c_sl_su_reunitarize(ctx, nc, count, mats) bind(c, name='sl_su_reunitarize')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_su_reunitarize
      type(c_ptr), value :: ctx
      integer(c_int), value :: nc
      integer(c_int64_t), value :: count
      complex(c_double_complex), intent(inout) :: mats(*)
    end function c_sl_su_reunitarize
    function c_sl_su_exp(ctx, nc, count, in, out) bind(c, name='sl_su_exp')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_su_exp
      type(c_ptr), value :: ctx
      integer(c_int), value :: nc
      integer(c_int64_t), value :: count
      complex(c_double_complex), intent(in) :: in(*)
      complex(c_double_complex), intent(out) :: out(*)
    end function c_sl_su_exp
    function c_sl_gauge_transform(u, o) bind(c, name='sl_gauge_transform')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_gauge_transform
      type(c_ptr), value :: u
      complex(c_double_complex), intent(in) :: o(*)
    end function c_sl_gauge_transform
    function c_sl_gauge_transform_fields(ctx, nc, volume, nch, o, &
        w) bind(c, name='sl_gauge_transform_fields')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_gauge_transform_fields
      type(c_ptr), value :: ctx
      integer(c_int), value :: nc
      integer(c_int64_t), value :: volume
      integer(c_int64_t), value :: nch
      complex(c_double_complex), intent(in) :: o(*)
      complex(c_double_complex), intent(inout) :: w(*)
    end function c_sl_gauge_transform_fields
    function c_sl_gauge_randomize(u, seed) bind(c, name='sl_gauge_randomize')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_randomize
      type(c_ptr), value :: u
      integer(c_int64_t), value :: seed
    end function c_sl_gauge_randomize
    function c_sl_gauge_heatbath(u, beta, nsweeps, n_over, seed) bind(c, name='sl_gauge_heatbath')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_heatbath
      type(c_ptr), value :: u
      real(c_double), value :: beta
      integer(c_int), value :: nsweeps
      integer(c_int), value :: n_over
      integer(c_int64_t), value :: seed
    end function c_sl_gauge_heatbath
    function c_sl_gauge_read_nersc(ctx, path, out) bind(c, name='sl_gauge_read_nersc')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_read_nersc
      type(c_ptr), value :: ctx
      type(c_ptr), value :: path
      type(c_ptr), intent(out) :: out
    end function c_sl_gauge_read_nersc
    function c_sl_gauge_write_nersc(u, path) bind(c, name='sl_gauge_write_nersc')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_gauge_write_nersc
      type(c_ptr), value :: u
      type(c_ptr), value :: path
    end function c_sl_gauge_write_nersc
    function c_sl_graph_link(g, u, mu) bind(c, name='sl_graph_link')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_link
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      integer(c_int), value :: mu
    end function c_sl_graph_link
    function c_sl_graph_plaquette(g, u, orientations, clover) bind(c, name='sl_graph_plaquette')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_plaquette
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      integer(c_int), value :: orientations
      integer(c_int), value :: clover
    end function c_sl_graph_plaquette
    function c_sl_graph_wilson_loop(g, u, mu, nu, a, b) bind(c, name='sl_graph_wilson_loop')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_wilson_loop
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      integer(c_int), value :: mu
      integer(c_int), value :: nu
      integer(c_int), value :: a
      integer(c_int), value :: b
    end function c_sl_graph_wilson_loop
    function c_sl_graph_polyakov(g, u) bind(c, name='sl_graph_polyakov')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_polyakov
      type(c_ptr), value :: g
      type(c_ptr), value :: u
    end function c_sl_graph_polyakov
    function c_sl_graph_transport(g, u, w, mu, k) bind(c, name='sl_graph_transport')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_transport
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      type(c_ptr), value :: w
      integer(c_int), value :: mu
      integer(c_int), value :: k
    end function c_sl_graph_transport
    function c_sl_graph_lconv(g, u, w, omega, k, dilation) bind(c, name='sl_graph_lconv')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_lconv
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      type(c_ptr), value :: w
      type(c_ptr), value :: omega
      integer(c_int), value :: k
      integer(c_int), value :: dilation
    end function c_sl_graph_lconv
    function c_sl_graph_lbilin(g, a, b, alpha) bind(c, name='sl_graph_lbilin')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_lbilin
      type(c_ptr), value :: g
      type(c_ptr), value :: a
      type(c_ptr), value :: b
      type(c_ptr), value :: alpha
    end function c_sl_graph_lbilin
    function c_sl_graph_gcmconv(g, u, w, alpha, k, dilation, &
        symmetric) bind(c, name='sl_graph_gcmconv')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_gcmconv
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      type(c_ptr), value :: w
      type(c_ptr), value :: alpha
      integer(c_int), value :: k
      integer(c_int), value :: dilation
      integer(c_int), value :: symmetric
    end function c_sl_graph_gcmconv
    function c_sl_gcmconv_terms(nd, channels, k, symmetric) bind(c, name='sl_gcmconv_terms')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_gcmconv_terms
      integer(c_int), value :: nd
      integer(c_int64_t), value :: channels
      integer(c_int), value :: k
      integer(c_int), value :: symmetric
    end function c_sl_gcmconv_terms
    function c_sl_graph_lact(g, w, kind, params) bind(c, name='sl_graph_lact')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_lact
      type(c_ptr), value :: g
      type(c_ptr), value :: w
      integer(c_int), value :: kind
      type(c_ptr), value :: params
    end function c_sl_graph_lact
    function c_sl_graph_lexp(g, u, w, beta) bind(c, name='sl_graph_lexp')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_lexp
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      type(c_ptr), value :: w
      type(c_ptr), value :: beta
    end function c_sl_graph_lexp
    function c_sl_graph_trace_features(g, w) bind(c, name='sl_graph_trace_features')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_graph_trace_features
      type(c_ptr), value :: g
      type(c_ptr), value :: w
    end function c_sl_graph_trace_features
    subroutine c_sl_lcnn_opts_init(opts) bind(c, name='sl_lcnn_opts_init')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_lcnn_opts
      type(sl_lcnn_opts), intent(inout) :: opts
    end subroutine c_sl_lcnn_opts_init
    function c_sl_lcnn_create(ctx, opts, out) bind(c, name='sl_lcnn_create')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_lcnn_opts
      integer(c_int) :: c_sl_lcnn_create
      type(c_ptr), value :: ctx
      type(sl_lcnn_opts), intent(in) :: opts
      type(c_ptr), intent(out) :: out
    end function c_sl_lcnn_create
    subroutine c_sl_lcnn_destroy(net) bind(c, name='sl_lcnn_destroy')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr), value :: net
    end subroutine c_sl_lcnn_destroy
    function c_sl_lcnn_nparams(net) bind(c, name='sl_lcnn_nparams')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int64_t) :: c_sl_lcnn_nparams
      type(c_ptr), value :: net
    end function c_sl_lcnn_nparams
    function c_sl_lcnn_get_params(net, out) bind(c, name='sl_lcnn_get_params')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_lcnn_get_params
      type(c_ptr), value :: net
      real(c_double), intent(out) :: out(*)
    end function c_sl_lcnn_get_params
    function c_sl_lcnn_set_params(net, in) bind(c, name='sl_lcnn_set_params')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_lcnn_set_params
      type(c_ptr), value :: net
      real(c_double), intent(in) :: in(*)
    end function c_sl_lcnn_set_params
    function c_sl_lcnn_apply(net, g, u, params) bind(c, name='sl_lcnn_apply')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      type(c_ptr) :: c_sl_lcnn_apply
      type(c_ptr), value :: net
      type(c_ptr), value :: g
      type(c_ptr), value :: u
      type(c_ptr), value :: params
    end function c_sl_lcnn_apply
    function c_sl_lcnn_predict(net, u, out) bind(c, name='sl_lcnn_predict')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_lcnn_predict
      type(c_ptr), value :: net
      type(c_ptr), value :: u
      real(c_double), intent(out) :: out(*)
    end function c_sl_lcnn_predict
    function c_sl_lcnn_predict_batch(net, batch, dims, links, &
        out) bind(c, name='sl_lcnn_predict_batch')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex
      integer(c_int) :: c_sl_lcnn_predict_batch
      type(c_ptr), value :: net
      integer(c_int64_t), value :: batch
      integer(c_int64_t), intent(in) :: dims(*)
      complex(c_double_complex), intent(in) :: links(*)
      real(c_double), intent(out) :: out(*)
    end function c_sl_lcnn_predict_batch
    subroutine c_sl_lcnn_train_opts_init(opts) bind(c, name='sl_lcnn_train_opts_init')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, sl_lcnn_train_opts
      type(sl_lcnn_train_opts), intent(inout) :: opts
    end subroutine c_sl_lcnn_train_opts_init
    function c_sl_lcnn_train(net, n, nval, dims, links, targets, opts) bind(c, name='sl_lcnn_train')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t, c_double_complex, sl_lcnn_train_opts
      integer(c_int) :: c_sl_lcnn_train
      type(c_ptr), value :: net
      integer(c_int64_t), value :: n
      integer(c_int64_t), value :: nval
      integer(c_int64_t), intent(in) :: dims(*)
      complex(c_double_complex), intent(in) :: links(*)
      real(c_double), intent(in) :: targets(*)
      type(sl_lcnn_train_opts), intent(in) :: opts
    end function c_sl_lcnn_train
    function c_sl_lcnn_save(net, path) bind(c, name='sl_lcnn_save')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_lcnn_save
      type(c_ptr), value :: net
      type(c_ptr), value :: path
    end function c_sl_lcnn_save
    function c_sl_lcnn_load(ctx, path, out) bind(c, name='sl_lcnn_load')
      import :: c_double, c_int, c_int64_t, c_ptr, c_size_t
      integer(c_int) :: c_sl_lcnn_load
      type(c_ptr), value :: ctx
      type(c_ptr), value :: path
      type(c_ptr), intent(out) :: out
    end function c_sl_lcnn_load
  end interface
  ! ---- end of Lattice (symlearn/lattice.h) ------------------------------------

contains

  ! ---- Private helpers ---------------------------------------------------------

  subroutine set_ierr(ierr, st)
    integer, intent(out), optional :: ierr
    integer(c_int), intent(in) :: st
    if (present(ierr)) ierr = int(st)
  end subroutine set_ierr

  ! A C int flag from a Fortran logical: 1 for .true., 0 for .false.
  integer(c_int) function c_flag(on)
    logical, intent(in) :: on
    c_flag = 0
    if (on) c_flag = 1
  end function c_flag

  ! A NUL-terminated copy of s, as an array the C side can point to.
  subroutine to_c_string(s, buf)
    character(*), intent(in) :: s
    character(kind=c_char), allocatable, intent(out) :: buf(:)
    integer :: i
    allocate(buf(len(s) + 1))
    do i = 1, len(s)
      buf(i) = s(i:i)
    end do
    buf(len(s) + 1) = c_null_char
  end subroutine to_c_string

  ! Copy of a NUL-terminated C string ("" for NULL).
  function from_c_string(p) result(s)
    type(c_ptr), intent(in) :: p
    character(:), allocatable :: s
    character(kind=c_char), pointer :: chars(:)
    integer :: i, n
    if (.not. c_associated(p)) then
      s = ''
      return
    end if
    n = int(c_strlen(p))
    call c_f_pointer(p, chars, [n])
    allocate(character(n) :: s)
    do i = 1, n
      s(i:i) = chars(i)
    end do
  end function from_c_string

  ! Address distance, for the contiguity check of bound arrays.
  function addr(p) result(a)
    type(c_ptr), intent(in) :: p
    integer(c_intptr_t) :: a
    a = transfer(p, a)
  end function addr

  ! Checks shared by the array arguments that are kept by the library: a
  ! (first element) and b (last) must lie (n-1)*esize bytes apart.
  function check_array(node, a, b, n, dtype, esize) result(st)
    type(c_ptr), intent(in) :: node, a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    integer(c_int) :: st
    st = SL_OK
    if (n < 1) then
      st = SL_ERR_SHAPE
    else if (addr(b) - addr(a) /= (n - 1) * esize) then
      st = SL_ERR_ARG
    else if (c_associated(node)) then
      if (c_sl_node_dtype(node) /= dtype) then
        st = SL_ERR_DTYPE
      else if (c_sl_node_numel(node) /= n) then
        st = SL_ERR_SHAPE
      end if
    end if
  end function check_array

  subroutine bind_any(plan, optim, node, a, b, n, dtype, esize, ierr)
    type(c_ptr), intent(in) :: plan, optim, node, a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_array(node, a, b, n, dtype, esize)
    if (st == SL_OK) then
      if (c_associated(plan)) then
        st = c_sl_plan_bind(plan, node, a)
      else
        st = c_sl_optim_bind(optim, node, a)
      end if
    end if
    call set_ierr(ierr, st)
  end subroutine bind_any

  subroutine wrap_any(ctx, shape, a, b, n, dtype, esize, t, ierr)
    type(c_ptr), intent(in) :: ctx, a, b
    integer(c_int64_t), intent(in) :: shape(:)
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    type(c_ptr), intent(out) :: t
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    t = c_null_ptr
    st = check_array(c_null_ptr, a, b, n, dtype, esize)
    if (st == SL_OK .and. product(shape) /= n) st = SL_ERR_SHAPE
    if (st == SL_OK) st = c_sl_tensor_wrap(ctx, dtype, size(shape, kind=c_int), shape, &
        c_null_ptr, a, t)
    call set_ierr(ierr, st)
  end subroutine wrap_any

  ! Param (what = 1) or constant (2) from copied data.  A size that does not
  ! match the shape is passed on as rank -1, so the graph records SL_ERR_SHAPE.
  function leaf_any(g, what, shape, a, n, dtype, name) result(node)
    type(c_ptr), intent(in) :: g, a
    integer, intent(in) :: what
    integer(c_int64_t), intent(in) :: shape(:)
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    character(*), intent(in), optional :: name
    type(c_ptr) :: node
    integer(c_int) :: rank
    character(kind=c_char), allocatable, target :: buf(:)
    type(c_ptr) :: cname
    rank = size(shape, kind=c_int)
    if (product(shape) /= n) rank = -1
    if (what == 1) then
      cname = c_null_ptr
      if (present(name)) then
        call to_c_string(name, buf)
        cname = c_loc(buf)
      end if
      node = c_sl_graph_param(g, dtype, rank, shape, a, cname)
    else
      node = c_sl_graph_constant(g, dtype, rank, shape, a)
    end if
  end function leaf_any

  ! Source of an output copy (NULL with ierr set when it cannot be used).
  function output_any(p, i, node, n, dtype, ierr) result(src)
    type(c_ptr), intent(in) :: p, node
    integer, intent(in) :: i
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    call set_ierr(ierr, SL_OK)
    if (c_associated(node)) then
      if (c_sl_node_dtype(node) /= dtype) then
        call set_ierr(ierr, SL_ERR_DTYPE)
        src = c_null_ptr
        return
      else if (c_sl_node_numel(node) /= n) then
        call set_ierr(ierr, SL_ERR_SHAPE)
        src = c_null_ptr
        return
      end if
      src = c_sl_plan_value(p, node)
    else
      src = c_sl_plan_output(p, int(i, c_int))
    end if
    if (.not. c_associated(src)) call set_ierr(ierr, SL_ERR_STATE)
  end function output_any

  function node_ptrs(xs) result(ps)
    type(sl_node), intent(in) :: xs(:)
    type(c_ptr) :: ps(max(size(xs), 1))
    integer :: i
    ps = c_null_ptr
    do i = 1, size(xs)
      ps(i) = xs(i)%ptr
    end do
  end function node_ptrs

  ! ---- Handles and shapes ----------------------------------------------------------

  logical function assoc_ctx(h)
    type(sl_ctx), intent(in) :: h
    assoc_ctx = c_associated(h%ptr)
  end function assoc_ctx
  logical function assoc_tensor(h)
    type(sl_tensor), intent(in) :: h
    assoc_tensor = c_associated(h%ptr)
  end function assoc_tensor
  logical function assoc_graph(h)
    type(sl_graph), intent(in) :: h
    assoc_graph = c_associated(h%ptr)
  end function assoc_graph
  logical function assoc_node(h)
    type(sl_node), intent(in) :: h
    assoc_node = c_associated(h%ptr)
  end function assoc_node
  logical function assoc_plan(h)
    type(sl_plan), intent(in) :: h
    assoc_plan = c_associated(h%ptr)
  end function assoc_plan
  logical function assoc_optim(h)
    type(sl_optim), intent(in) :: h
    assoc_optim = c_associated(h%ptr)
  end function assoc_optim

  ! The C shape of a Fortran array with shape fshape: sl_c_shape(shape(x)).
  function sl_c_shape(fshape) result(cshape)
    integer, intent(in) :: fshape(:)
    integer(c_int64_t) :: cshape(size(fshape))
    integer :: i
    do i = 1, size(fshape)
      cshape(i) = int(fshape(size(fshape) + 1 - i), c_int64_t)
    end do
  end function sl_c_shape

  ! ---- Core ------------------------------------------------------------------------

  function sl_version_string() result(s)
    character(:), allocatable :: s
    s = from_c_string(c_sl_version_string())
  end function sl_version_string

  function sl_status_string(status) result(s)
    integer, intent(in) :: status
    character(:), allocatable :: s
    s = from_c_string(c_sl_status_string(int(status, c_int)))
  end function sl_status_string

  ! Default options; set the seed and threads afterwards (sl_ctx_set_*).
  subroutine sl_ctx_create(ctx, ierr)
    type(sl_ctx), intent(out) :: ctx
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_ctx_create(ctx%ptr, c_null_ptr))
  end subroutine sl_ctx_create

  subroutine sl_ctx_destroy(ctx)
    type(sl_ctx), intent(inout) :: ctx
    call c_sl_ctx_destroy(ctx%ptr)
    ctx%ptr = c_null_ptr
  end subroutine sl_ctx_destroy

  function sl_ctx_errmsg(ctx) result(s)
    type(sl_ctx), intent(in) :: ctx
    character(:), allocatable :: s
    s = from_c_string(c_sl_ctx_errmsg(ctx%ptr))
  end function sl_ctx_errmsg

  integer(c_int) function sl_ctx_last_status(ctx)
    type(sl_ctx), intent(in) :: ctx
    sl_ctx_last_status = c_sl_ctx_last_status(ctx%ptr)
  end function sl_ctx_last_status

  subroutine sl_ctx_clear_error(ctx)
    type(sl_ctx), intent(in) :: ctx
    call c_sl_ctx_clear_error(ctx%ptr)
  end subroutine sl_ctx_clear_error

  subroutine sl_ctx_set_seed(ctx, seed, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: seed
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_ctx_set_seed(ctx%ptr, seed))
  end subroutine sl_ctx_set_seed

  integer(c_int64_t) function sl_ctx_seed(ctx)
    type(sl_ctx), intent(in) :: ctx
    sl_ctx_seed = c_sl_ctx_seed(ctx%ptr)
  end function sl_ctx_seed

  subroutine sl_ctx_set_threads(ctx, nthreads, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer, intent(in) :: nthreads
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_ctx_set_threads(ctx%ptr, int(nthreads, c_int)))
  end subroutine sl_ctx_set_threads

  integer(c_int) function sl_ctx_threads(ctx)
    type(sl_ctx), intent(in) :: ctx
    sl_ctx_threads = c_sl_ctx_threads(ctx%ptr)
  end function sl_ctx_threads

  integer(c_size_t) function sl_ctx_bytes_in_use(ctx)
    type(sl_ctx), intent(in) :: ctx
    sl_ctx_bytes_in_use = c_sl_ctx_bytes_in_use(ctx%ptr)
  end function sl_ctx_bytes_in_use

  integer(c_int64_t) function sl_ctx_alloc_count(ctx)
    type(sl_ctx), intent(in) :: ctx
    sl_ctx_alloc_count = c_sl_ctx_alloc_count(ctx%ptr)
  end function sl_ctx_alloc_count

  integer(c_int64_t) function sl_rng_u64(seed, k)
    integer(c_int64_t), intent(in) :: seed, k
    sl_rng_u64 = c_sl_rng_u64(seed, k)
  end function sl_rng_u64

  real(c_double) function sl_rng_uniform(seed, k)
    integer(c_int64_t), intent(in) :: seed, k
    sl_rng_uniform = c_sl_rng_uniform(seed, k)
  end function sl_rng_uniform

  real(c_double) function sl_rng_normal(seed, k)
    integer(c_int64_t), intent(in) :: seed, k
    sl_rng_normal = c_sl_rng_normal(seed, k)
  end function sl_rng_normal

  ! out(i) = lo + (hi - lo) * uniform(seed, first + i - 1), i = 1 .. size(out).
  subroutine sl_rng_fill_uniform(seed, first, lo, hi, out)
    integer(c_int64_t), intent(in) :: seed, first
    real(c_double), intent(in) :: lo, hi
    real(c_double), intent(out) :: out(:)
    call c_sl_rng_fill_uniform(seed, first, size(out, kind=c_size_t), lo, hi, out)
  end subroutine sl_rng_fill_uniform

  subroutine sl_rng_fill_normal(seed, first, mean, std, out)
    integer(c_int64_t), intent(in) :: seed, first
    real(c_double), intent(in) :: mean, std
    real(c_double), intent(out) :: out(:)
    call c_sl_rng_fill_normal(seed, first, size(out, kind=c_size_t), mean, std, out)
  end subroutine sl_rng_fill_normal

  ! ---- Tensors ----------------------------------------------------------------------

  ! shape in C order; size(shape) is the rank (a zero-size shape: a scalar).
  subroutine sl_tensor_create(ctx, dtype, shape, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: shape(:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_create(ctx%ptr, dtype, size(shape, kind=c_int), shape, t%ptr))
  end subroutine sl_tensor_create

  subroutine sl_tensor_destroy(t)
    type(sl_tensor), intent(inout) :: t
    call c_sl_tensor_destroy(t%ptr)
    t%ptr = c_null_ptr
  end subroutine sl_tensor_destroy

  integer(c_int) function sl_tensor_dtype(t)
    type(sl_tensor), intent(in) :: t
    sl_tensor_dtype = c_sl_tensor_dtype(t%ptr)
  end function sl_tensor_dtype

  integer(c_int) function sl_tensor_rank(t)
    type(sl_tensor), intent(in) :: t
    sl_tensor_rank = c_sl_tensor_rank(t%ptr)
  end function sl_tensor_rank

  ! axis: C axis, from 0.
  integer(c_int64_t) function sl_tensor_dim(t, axis)
    type(sl_tensor), intent(in) :: t
    integer, intent(in) :: axis
    sl_tensor_dim = c_sl_tensor_dim(t%ptr, int(axis, c_int))
  end function sl_tensor_dim

  integer(c_int64_t) function sl_tensor_stride(t, axis)
    type(sl_tensor), intent(in) :: t
    integer, intent(in) :: axis
    sl_tensor_stride = c_sl_tensor_stride(t%ptr, int(axis, c_int))
  end function sl_tensor_stride

  integer(c_int64_t) function sl_tensor_numel(t)
    type(sl_tensor), intent(in) :: t
    sl_tensor_numel = c_sl_tensor_numel(t%ptr)
  end function sl_tensor_numel

  logical function sl_tensor_is_contiguous(t)
    type(sl_tensor), intent(in) :: t
    sl_tensor_is_contiguous = c_sl_tensor_is_contiguous(t%ptr) /= 0
  end function sl_tensor_is_contiguous

  subroutine tensor_fill_f64(t, value, ierr)
    type(sl_tensor), intent(in) :: t
    real(c_double), intent(in) :: value
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_fill(t%ptr, value, 0.0_c_double))
  end subroutine tensor_fill_f64

  subroutine tensor_fill_c128(t, value, ierr)
    type(sl_tensor), intent(in) :: t
    complex(c_double_complex), intent(in) :: value
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_fill(t%ptr, real(value, c_double), aimag(value)))
  end subroutine tensor_fill_c128

  subroutine sl_tensor_fill_uniform(t, seed, lo, hi, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: seed
    real(c_double), intent(in) :: lo, hi
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_fill_uniform(t%ptr, seed, lo, hi))
  end subroutine sl_tensor_fill_uniform

  subroutine sl_tensor_fill_normal(t, seed, mean, std, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: seed
    real(c_double), intent(in) :: mean, std
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_fill_normal(t%ptr, seed, mean, std))
  end subroutine sl_tensor_fill_normal

  ! Views (no copy; the view borrows t's memory).  Axes are C axes from 0.
  subroutine sl_tensor_slice(t, axis, start, stop, step, view, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int), intent(in) :: axis
    integer(c_int64_t), intent(in) :: start, stop, step
    type(sl_tensor), intent(out) :: view
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_slice(t%ptr, axis, start, stop, step, view%ptr))
  end subroutine sl_tensor_slice

  ! size(perm) must be the rank of t (else SL_ERR_ARG).
  subroutine sl_tensor_permute(t, perm, view, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int), intent(in) :: perm(:)
    type(sl_tensor), intent(out) :: view
    integer, intent(out), optional :: ierr
    if (size(perm) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    call set_ierr(ierr, c_sl_tensor_permute(t%ptr, perm, view%ptr))
  end subroutine sl_tensor_permute

  subroutine sl_tensor_transpose(t, axis0, axis1, view, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int), intent(in) :: axis0, axis1
    type(sl_tensor), intent(out) :: view
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_transpose(t%ptr, axis0, axis1, view%ptr))
  end subroutine sl_tensor_transpose

  subroutine sl_tensor_reshape(t, shape, view, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: shape(:)
    type(sl_tensor), intent(out) :: view
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_reshape(t%ptr, size(shape, kind=c_int), shape, view%ptr))
  end subroutine sl_tensor_reshape

  subroutine sl_tensor_clone(t, copy, ierr)
    type(sl_tensor), intent(in) :: t
    type(sl_tensor), intent(out) :: copy
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_clone(t%ptr, copy%ptr))
  end subroutine sl_tensor_clone

  subroutine sl_tensor_copy(dst, src, ierr)
    type(sl_tensor), intent(in) :: dst, src
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_copy(dst%ptr, src%ptr))
  end subroutine sl_tensor_copy

  ! One element; index: C order, 0-based, one entry per axis (else SL_ERR_ARG).
  subroutine tensor_get_f64(t, index, value, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: index(:)
    real(c_double), intent(out) :: value
    integer, intent(out), optional :: ierr
    real(c_double) :: v(2)
    value = 0
    if (size(index) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_tensor_dtype(t%ptr) /= SL_F64) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    v = 0
    call set_ierr(ierr, c_sl_tensor_get(t%ptr, index, v))
    value = v(1)
  end subroutine tensor_get_f64

  subroutine tensor_get_c128(t, index, value, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: index(:)
    complex(c_double_complex), intent(out) :: value
    integer, intent(out), optional :: ierr
    real(c_double) :: v(2)
    value = 0
    if (size(index) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_tensor_dtype(t%ptr) /= SL_C128) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    v = 0
    call set_ierr(ierr, c_sl_tensor_get(t%ptr, index, v))
    value = cmplx(v(1), v(2), c_double_complex)
  end subroutine tensor_get_c128

  subroutine tensor_set_f64(t, index, value, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: index(:)
    real(c_double), intent(in) :: value
    integer, intent(out), optional :: ierr
    if (size(index) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_tensor_dtype(t%ptr) /= SL_F64) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    call set_ierr(ierr, c_sl_tensor_set(t%ptr, index, [value, 0.0_c_double]))
  end subroutine tensor_set_f64

  subroutine tensor_set_c128(t, index, value, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: index(:)
    complex(c_double_complex), intent(in) :: value
    integer, intent(out), optional :: ierr
    if (size(index) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_tensor_dtype(t%ptr) /= SL_C128) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    call set_ierr(ierr, c_sl_tensor_set(t%ptr, index, [real(value, c_double), aimag(value)]))
  end subroutine tensor_set_c128

  subroutine sl_tensor_check_finite(t, ierr)
    type(sl_tensor), intent(in) :: t
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_tensor_check_finite(t%ptr))
  end subroutine sl_tensor_check_finite

  ! ---- Graph ---------------------------------------------------------------------------

  subroutine sl_graph_create(ctx, g, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_graph), intent(out) :: g
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_graph_create(ctx%ptr, g%ptr))
  end subroutine sl_graph_create

  subroutine sl_graph_destroy(g)
    type(sl_graph), intent(inout) :: g
    call c_sl_graph_destroy(g%ptr)
    g%ptr = c_null_ptr
  end subroutine sl_graph_destroy

  integer(c_int) function sl_graph_status(g)
    type(sl_graph), intent(in) :: g
    sl_graph_status = c_sl_graph_status(g%ptr)
  end function sl_graph_status

  ! The graph's context (for sl_ctx_errmsg); not a new reference.
  function sl_graph_ctx(g) result(ctx)
    type(sl_graph), intent(in) :: g
    type(sl_ctx) :: ctx
    ctx%ptr = c_sl_graph_ctx(g%ptr)
  end function sl_graph_ctx

  integer(c_int) function sl_graph_node_count(g)
    type(sl_graph), intent(in) :: g
    sl_graph_node_count = c_sl_graph_node_count(g%ptr)
  end function sl_graph_node_count

  function sl_graph_input(g, dtype, shape, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: shape(:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    character(kind=c_char), allocatable, target :: buf(:)
    type(c_ptr) :: cname
    cname = c_null_ptr
    if (present(name)) then
      call to_c_string(name, buf)
      cname = c_loc(buf)
    end if
    n%ptr = c_sl_graph_input(g%ptr, dtype, size(shape, kind=c_int), shape, cname)
  end function sl_graph_input

  ! A zero-initialised param.  The other form, sl_graph_param(g, shape, init,
  ! name), takes its dtype and values from a real or complex array init.
  function graph_param_zero(g, dtype, shape, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: shape(:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    character(kind=c_char), allocatable, target :: buf(:)
    type(c_ptr) :: cname
    cname = c_null_ptr
    if (present(name)) then
      call to_c_string(name, buf)
      cname = c_loc(buf)
    end if
    n%ptr = c_sl_graph_param(g%ptr, dtype, size(shape, kind=c_int), shape, c_null_ptr, cname)
  end function graph_param_zero

  function sl_graph_constant_tensor(g, t) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_tensor), intent(in) :: t
    type(sl_node) :: n
    n%ptr = c_sl_graph_constant_tensor(g%ptr, t%ptr)
  end function sl_graph_constant_tensor

  function sl_graph_scalar(g, value) result(n)
    type(sl_graph), intent(in) :: g
    real(c_double), intent(in) :: value
    type(sl_node) :: n
    n%ptr = c_sl_graph_scalar(g%ptr, value)
  end function sl_graph_scalar

  function sl_graph_full(g, dtype, shape, re, im) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in) :: re
    real(c_double), intent(in), optional :: im
    type(sl_node) :: n
    real(c_double) :: imv
    imv = 0
    if (present(im)) imv = im
    n%ptr = c_sl_graph_full(g%ptr, dtype, size(shape, kind=c_int), shape, re, imv)
  end function sl_graph_full

  function sl_graph_eye(g, dtype, n) result(e)
    type(sl_graph), intent(in) :: g
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: n
    type(sl_node) :: e
    e%ptr = c_sl_graph_eye(g%ptr, dtype, n)
  end function sl_graph_eye

  ! ---- Node queries --------------------------------------------------------------------

  integer(c_int) function sl_node_dtype(n)
    type(sl_node), intent(in) :: n
    sl_node_dtype = c_sl_node_dtype(n%ptr)
  end function sl_node_dtype

  integer(c_int) function sl_node_rank(n)
    type(sl_node), intent(in) :: n
    sl_node_rank = c_sl_node_rank(n%ptr)
  end function sl_node_rank

  ! axis: C axis, from 0.
  integer(c_int64_t) function sl_node_dim(n, axis)
    type(sl_node), intent(in) :: n
    integer, intent(in) :: axis
    sl_node_dim = c_sl_node_dim(n%ptr, int(axis, c_int))
  end function sl_node_dim

  integer(c_int64_t) function sl_node_numel(n)
    type(sl_node), intent(in) :: n
    sl_node_numel = c_sl_node_numel(n%ptr)
  end function sl_node_numel

  function sl_node_name(n) result(s)
    type(sl_node), intent(in) :: n
    character(:), allocatable :: s
    s = from_c_string(c_sl_node_name(n%ptr))
  end function sl_node_name

  function sl_node_op_name(n) result(s)
    type(sl_node), intent(in) :: n
    character(:), allocatable :: s
    s = from_c_string(c_sl_node_op_name(n%ptr))
  end function sl_node_op_name

  ! ---- Ops with extra arguments ---------------------------------------------------------

  function sl_graph_mul_complex_scalar(g, x, re, im) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    real(c_double), intent(in) :: re, im
    type(sl_node) :: n
    n%ptr = c_sl_graph_mul_complex_scalar(g%ptr, x%ptr, re, im)
  end function sl_graph_mul_complex_scalar

  function sl_graph_matmul_ex(g, a, op_a, b, op_b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    integer(c_int), intent(in) :: op_a, op_b
    type(sl_node) :: n
    n%ptr = c_sl_graph_matmul_ex(g%ptr, a%ptr, op_a, b%ptr, op_b)
  end function sl_graph_matmul_ex

  ! perm: C axes from 0, one per axis of x.  A perm of another length is passed
  ! on as invalid (-1 entries), so the graph records the error.
  function sl_graph_permute(g, x, perm) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: perm(:)
    type(sl_node) :: n
    integer(c_int) :: p(SL_MAX_RANK)
    p = -1
    if (size(perm) == c_sl_node_rank(x%ptr) .and. size(perm) <= SL_MAX_RANK) &
        p(1:size(perm)) = perm
    n%ptr = c_sl_graph_permute(g%ptr, x%ptr, p)
  end function sl_graph_permute

  function sl_graph_reshape(g, x, shape) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int64_t), intent(in) :: shape(:)
    type(sl_node) :: n
    n%ptr = c_sl_graph_reshape(g%ptr, x%ptr, size(shape, kind=c_int), shape)
  end function sl_graph_reshape

  ! Elements start, start+step, ... < stop (0-based) along C axis `axis`.
  function sl_graph_slice(g, x, axis, start, stop, step) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: axis
    integer(c_int64_t), intent(in) :: start, stop
    integer(c_int64_t), intent(in), optional :: step
    type(sl_node) :: n
    integer(c_int64_t) :: st
    st = 1
    if (present(step)) st = step
    n%ptr = c_sl_graph_slice(g%ptr, x%ptr, axis, start, stop, st)
  end function sl_graph_slice

  ! index: 0-based entries along C axis `axis`.
  function sl_graph_gather(g, x, axis, index) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: axis
    integer(c_int64_t), intent(in) :: index(:)
    type(sl_node) :: n
    n%ptr = c_sl_graph_gather(g%ptr, x%ptr, axis, size(index, kind=c_int64_t), index)
  end function sl_graph_gather

  function sl_graph_concat(g, xs, axis) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: xs(:)
    integer(c_int), intent(in) :: axis
    type(sl_node) :: n
    n%ptr = c_sl_graph_concat(g%ptr, size(xs, kind=c_int), node_ptrs(xs), axis)
  end function sl_graph_concat

  function sl_graph_broadcast(g, x, shape) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int64_t), intent(in) :: shape(:)
    type(sl_node) :: n
    n%ptr = c_sl_graph_broadcast(g%ptr, x%ptr, size(shape, kind=c_int), shape)
  end function sl_graph_broadcast

  function sl_graph_roll(g, x, axis, shift) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: axis
    integer(c_int64_t), intent(in) :: shift
    type(sl_node) :: n
    n%ptr = c_sl_graph_roll(g%ptr, x%ptr, axis, shift)
  end function sl_graph_roll

  ! axes: C axes (negative count from the end); keepdims defaults to false.
  function sl_graph_sum_axes(g, x, axes, keepdims) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: axes(:)
    logical, intent(in), optional :: keepdims
    type(sl_node) :: n
    integer(c_int) :: k
    k = 0
    if (present(keepdims)) then
      if (keepdims) k = 1
    end if
    n%ptr = c_sl_graph_sum_axes(g%ptr, x%ptr, size(axes, kind=c_int), axes, k)
  end function sl_graph_sum_axes

  function sl_graph_mean_axes(g, x, axes, keepdims) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: axes(:)
    logical, intent(in), optional :: keepdims
    type(sl_node) :: n
    integer(c_int) :: k
    k = 0
    if (present(keepdims)) then
      if (keepdims) k = 1
    end if
    n%ptr = c_sl_graph_mean_axes(g%ptr, x%ptr, size(axes, kind=c_int), axes, k)
  end function sl_graph_mean_axes

  ! ---- Gradients ------------------------------------------------------------------------

  ! grads(i) = dy/dxs(i); size(grads) must be size(xs) (else SL_ERR_ARG).
  subroutine sl_graph_grad(g, y, xs, grads, ierr)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: y
    type(sl_node), intent(in) :: xs(:)
    type(sl_node), intent(out) :: grads(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: out(max(size(xs), 1))
    integer :: i
    if (size(grads) /= size(xs)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    out = c_null_ptr
    call set_ierr(ierr, c_sl_graph_grad(g%ptr, y%ptr, size(xs, kind=c_int), node_ptrs(xs), out))
    do i = 1, size(xs)
      grads(i)%ptr = out(i)
    end do
  end subroutine sl_graph_grad

  function sl_graph_grad1(g, y, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: y, x
    type(sl_node) :: n
    n%ptr = c_sl_graph_grad1(g%ptr, y%ptr, x%ptr)
  end function sl_graph_grad1

  ! ---- Plans ----------------------------------------------------------------------------

  subroutine sl_plan_create(g, outputs, p, ierr)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: outputs(:)
    type(sl_plan), intent(out) :: p
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_plan_create(g%ptr, size(outputs, kind=c_int), node_ptrs(outputs), &
        p%ptr))
  end subroutine sl_plan_create

  subroutine sl_plan_destroy(p)
    type(sl_plan), intent(inout) :: p
    call c_sl_plan_destroy(p%ptr)
    p%ptr = c_null_ptr
  end subroutine sl_plan_destroy

  subroutine sl_plan_bind_tensor(p, input, t, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: input
    type(sl_tensor), intent(in) :: t
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_plan_bind_tensor(p%ptr, input%ptr, t%ptr))
  end subroutine sl_plan_bind_tensor

  subroutine sl_plan_run(p, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_plan_run(p%ptr))
  end subroutine sl_plan_run

  subroutine sl_plan_set_check_finite(p, on, ierr)
    type(sl_plan), intent(in) :: p
    logical, intent(in) :: on
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_plan_set_check_finite(p%ptr, c_flag(on)))
  end subroutine sl_plan_set_check_finite

  ! Data caching (C: sl_plan_set_cache_data): with on, the steps of the bound
  ! data alone run once per bind; data changed in place need a new bind.
  subroutine sl_plan_set_cache_data(p, on, ierr)
    type(sl_plan), intent(in) :: p
    logical, intent(in) :: on
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_plan_set_cache_data(p%ptr, c_flag(on)))
  end subroutine sl_plan_set_cache_data

  ! Output i (from 0) when it is a real scalar, NaN otherwise.
  real(c_double) function sl_plan_scalar(p, i)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    sl_plan_scalar = c_sl_plan_scalar(p%ptr, int(i, c_int))
  end function sl_plan_scalar

  integer(c_size_t) function sl_plan_bytes(p)
    type(sl_plan), intent(in) :: p
    sl_plan_bytes = c_sl_plan_bytes(p%ptr)
  end function sl_plan_bytes

  integer(c_int) function sl_plan_steps(p)
    type(sl_plan), intent(in) :: p
    sl_plan_steps = c_sl_plan_steps(p%ptr)
  end function sl_plan_steps

  ! ---- Optimisers -----------------------------------------------------------------------

  subroutine sl_optim_opts_init(opts, kind)
    type(sl_optim_opts), intent(out) :: opts
    integer(c_int), intent(in) :: kind
    call c_sl_optim_opts_init(opts, kind)
    opts%size = c_sizeof(opts)
  end subroutine sl_optim_opts_init

  ! params: the param nodes to train; a zero-size array ([sl_node ::]) means
  ! every param the loss depends on.
  subroutine sl_optim_create(g, loss, params, opts, o, ierr)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: loss
    type(sl_node), intent(in) :: params(:)
    type(sl_optim_opts), intent(in) :: opts
    type(sl_optim), intent(out) :: o
    integer, intent(out), optional :: ierr
    type(c_ptr), target :: ps(max(size(params), 1))
    type(c_ptr) :: pp
    ps = node_ptrs(params)
    pp = c_null_ptr
    if (size(params) > 0) pp = c_loc(ps)
    call set_ierr(ierr, c_sl_optim_create(g%ptr, loss%ptr, size(params, kind=c_int), pp, opts, &
        o%ptr))
  end subroutine sl_optim_create

  subroutine sl_optim_destroy(o)
    type(sl_optim), intent(inout) :: o
    call c_sl_optim_destroy(o%ptr)
    o%ptr = c_null_ptr
  end subroutine sl_optim_destroy

  ! The optimiser's plan (outputs: loss, then the gradients); owned by o.
  function sl_optim_plan(o) result(p)
    type(sl_optim), intent(in) :: o
    type(sl_plan) :: p
    p%ptr = c_sl_optim_plan(o%ptr)
  end function sl_optim_plan

  subroutine sl_optim_step(o, loss, ierr)
    type(sl_optim), intent(in) :: o
    real(c_double), intent(out), optional :: loss
    integer, intent(out), optional :: ierr
    real(c_double) :: l
    l = 0
    call set_ierr(ierr, c_sl_optim_step(o%ptr, l))
    if (present(loss)) loss = l
  end subroutine sl_optim_step

  subroutine sl_optim_eval(o, loss, ierr)
    type(sl_optim), intent(in) :: o
    real(c_double), intent(out), optional :: loss
    integer, intent(out), optional :: ierr
    real(c_double) :: l
    l = 0
    call set_ierr(ierr, c_sl_optim_eval(o%ptr, l))
    if (present(loss)) loss = l
  end subroutine sl_optim_eval

  subroutine sl_optim_set_lr(o, lr, ierr)
    type(sl_optim), intent(in) :: o
    real(c_double), intent(in) :: lr
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_optim_set_lr(o%ptr, lr))
  end subroutine sl_optim_set_lr

  integer(c_int64_t) function sl_optim_steps(o)
    type(sl_optim), intent(in) :: o
    sl_optim_steps = c_sl_optim_steps(o%ptr)
  end function sl_optim_steps

  subroutine sl_optim_reset(o)
    type(sl_optim), intent(in) :: o
    call c_sl_optim_reset(o%ptr)
  end subroutine sl_optim_reset

  ! ---- Node ops (one C call each) ---------------------------------------------

  function sl_graph_neg(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_neg(g%ptr, x%ptr)
  end function sl_graph_neg

  function sl_graph_square(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_square(g%ptr, x%ptr)
  end function sl_graph_square

  function sl_graph_exp(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_exp(g%ptr, x%ptr)
  end function sl_graph_exp

  function sl_graph_log(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_log(g%ptr, x%ptr)
  end function sl_graph_log

  function sl_graph_sqrt(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_sqrt(g%ptr, x%ptr)
  end function sl_graph_sqrt

  function sl_graph_sin(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_sin(g%ptr, x%ptr)
  end function sl_graph_sin

  function sl_graph_cos(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_cos(g%ptr, x%ptr)
  end function sl_graph_cos

  function sl_graph_tanh(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_tanh(g%ptr, x%ptr)
  end function sl_graph_tanh

  function sl_graph_sigmoid(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_sigmoid(g%ptr, x%ptr)
  end function sl_graph_sigmoid

  function sl_graph_softplus(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_softplus(g%ptr, x%ptr)
  end function sl_graph_softplus

  function sl_graph_relu(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_relu(g%ptr, x%ptr)
  end function sl_graph_relu

  function sl_graph_abs(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_abs(g%ptr, x%ptr)
  end function sl_graph_abs

  function sl_graph_conj(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_conj(g%ptr, x%ptr)
  end function sl_graph_conj

  function sl_graph_real(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_real(g%ptr, x%ptr)
  end function sl_graph_real

  function sl_graph_imag(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_imag(g%ptr, x%ptr)
  end function sl_graph_imag

  function sl_graph_view_real(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_view_real(g%ptr, x%ptr)
  end function sl_graph_view_real

  function sl_graph_view_complex(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_view_complex(g%ptr, x%ptr)
  end function sl_graph_view_complex

  function sl_graph_trace(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_trace(g%ptr, x%ptr)
  end function sl_graph_trace

  function sl_graph_transpose(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_transpose(g%ptr, x%ptr)
  end function sl_graph_transpose

  function sl_graph_adjoint(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_adjoint(g%ptr, x%ptr)
  end function sl_graph_adjoint

  function sl_graph_sum(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_sum(g%ptr, x%ptr)
  end function sl_graph_sum

  function sl_graph_mean(g, x) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    type(sl_node) :: n
    n%ptr = c_sl_graph_mean(g%ptr, x%ptr)
  end function sl_graph_mean

  function sl_graph_add(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_add(g%ptr, a%ptr, b%ptr)
  end function sl_graph_add

  function sl_graph_sub(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_sub(g%ptr, a%ptr, b%ptr)
  end function sl_graph_sub

  function sl_graph_mul(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_mul(g%ptr, a%ptr, b%ptr)
  end function sl_graph_mul

  function sl_graph_div(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_div(g%ptr, a%ptr, b%ptr)
  end function sl_graph_div

  function sl_graph_pow(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_pow(g%ptr, a%ptr, b%ptr)
  end function sl_graph_pow

  function sl_graph_matmul(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_matmul(g%ptr, a%ptr, b%ptr)
  end function sl_graph_matmul

  function sl_graph_dot(g, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_dot(g%ptr, a%ptr, b%ptr)
  end function sl_graph_dot

  function sl_graph_complex(g, re, im) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: re, im
    type(sl_node) :: n
    n%ptr = c_sl_graph_complex(g%ptr, re%ptr, im%ptr)
  end function sl_graph_complex

  function sl_graph_add_scalar(g, x, s) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    real(c_double), intent(in) :: s
    type(sl_node) :: n
    n%ptr = c_sl_graph_add_scalar(g%ptr, x%ptr, s)
  end function sl_graph_add_scalar

  function sl_graph_mul_scalar(g, x, s) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    real(c_double), intent(in) :: s
    type(sl_node) :: n
    n%ptr = c_sl_graph_mul_scalar(g%ptr, x%ptr, s)
  end function sl_graph_mul_scalar

  function sl_graph_pow_scalar(g, x, s) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    real(c_double), intent(in) :: s
    type(sl_node) :: n
    n%ptr = c_sl_graph_pow_scalar(g%ptr, x%ptr, s)
  end function sl_graph_pow_scalar

  function sl_graph_rsub_scalar(g, x, s) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    real(c_double), intent(in) :: s
    type(sl_node) :: n
    n%ptr = c_sl_graph_rsub_scalar(g%ptr, x%ptr, s)
  end function sl_graph_rsub_scalar

  ! ---- Array arguments: one procedure per element type and rank -----------------

  subroutine plan_bind_f64_0(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, 1_c_int64_t, SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_0

  subroutine optim_bind_f64_0(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, 1_c_int64_t, SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_0

  subroutine tensor_wrap_f64_0(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    call wrap_any(ctx%ptr, shape, a, b, 1_c_int64_t, SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_0

  function graph_param_f64_0(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    n%ptr = leaf_any(g%ptr, 1, shape, a, 1_c_int64_t, SL_F64, name)
  end function graph_param_f64_0

  function graph_constant_f64_0(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    n%ptr = leaf_any(g%ptr, 2, shape, a, 1_c_int64_t, SL_F64)
  end function graph_constant_f64_0

  subroutine plan_output_f64_0(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp
    src = output_any(p%ptr, i, c_null_ptr, 1_c_int64_t, SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp)
    x = fp
  end subroutine plan_output_f64_0

  subroutine plan_value_f64_0(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp
    src = output_any(p%ptr, -1, node%ptr, 1_c_int64_t, SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp)
    x = fp
  end subroutine plan_value_f64_0

  subroutine plan_bind_f64_1(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_1

  subroutine optim_bind_f64_1(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_1

  subroutine tensor_wrap_f64_1(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_1

  function graph_param_f64_1(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_1

  function graph_constant_f64_1(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_1

  subroutine plan_output_f64_1(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_1

  subroutine plan_value_f64_1(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_1

  subroutine plan_bind_f64_2(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_2

  subroutine optim_bind_f64_2(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_2

  subroutine tensor_wrap_f64_2(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_2

  function graph_param_f64_2(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_2

  function graph_constant_f64_2(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_2

  subroutine plan_output_f64_2(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_2

  subroutine plan_value_f64_2(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_2

  subroutine plan_bind_f64_3(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_3

  subroutine optim_bind_f64_3(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_3

  subroutine tensor_wrap_f64_3(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_3

  function graph_param_f64_3(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_3

  function graph_constant_f64_3(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_3

  subroutine plan_output_f64_3(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_3

  subroutine plan_value_f64_3(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_3

  subroutine plan_bind_f64_4(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_4

  subroutine optim_bind_f64_4(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_4

  subroutine tensor_wrap_f64_4(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_4

  function graph_param_f64_4(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_4

  function graph_constant_f64_4(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_4

  subroutine plan_output_f64_4(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_4

  subroutine plan_value_f64_4(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_4

  subroutine plan_bind_f64_5(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_5

  subroutine optim_bind_f64_5(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_5

  subroutine tensor_wrap_f64_5(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_5

  function graph_param_f64_5(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_5

  function graph_constant_f64_5(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_5

  subroutine plan_output_f64_5(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_5

  subroutine plan_value_f64_5(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_5

  subroutine plan_bind_f64_6(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_6

  subroutine optim_bind_f64_6(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_6

  subroutine tensor_wrap_f64_6(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_6

  function graph_param_f64_6(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_6

  function graph_constant_f64_6(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_6

  subroutine plan_output_f64_6(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_6

  subroutine plan_value_f64_6(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_6

  subroutine plan_bind_f64_7(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_7

  subroutine optim_bind_f64_7(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_7

  subroutine tensor_wrap_f64_7(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:,:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_7

  function graph_param_f64_7(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_7

  function graph_constant_f64_7(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_7

  subroutine plan_output_f64_7(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_7

  subroutine plan_value_f64_7(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_7

  subroutine plan_bind_f64_8(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine plan_bind_f64_8

  subroutine optim_bind_f64_8(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, ierr)
  end subroutine optim_bind_f64_8

  subroutine tensor_wrap_f64_8(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(inout), target :: x(:,:,:,:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_F64, 8_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_f64_8

  function graph_param_f64_8(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_F64, name)
  end function graph_param_f64_8

  function graph_constant_f64_8(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_F64)
  end function graph_constant_f64_8

  subroutine plan_output_f64_8(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    real(c_double), intent(inout) :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_f64_8

  subroutine plan_value_f64_8(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    real(c_double), intent(inout) :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    real(c_double), pointer :: fp(:,:,:,:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_F64, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_f64_8

  subroutine node_data_f64(n, x, ierr)
    type(sl_node), intent(in) :: n
    real(c_double), pointer, intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    nullify(x)
    call set_ierr(ierr, SL_OK)
    src = c_sl_node_data(n%ptr)
    if (.not. c_associated(src)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_node_dtype(n%ptr) /= SL_F64) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    call c_f_pointer(src, x, [c_sl_node_numel(n%ptr)])
  end subroutine node_data_f64

  subroutine plan_bind_c128_0(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, 1_c_int64_t, SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_0

  subroutine optim_bind_c128_0(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, 1_c_int64_t, SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_0

  subroutine tensor_wrap_c128_0(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    call wrap_any(ctx%ptr, shape, a, b, 1_c_int64_t, SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_0

  function graph_param_c128_0(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    n%ptr = leaf_any(g%ptr, 1, shape, a, 1_c_int64_t, SL_C128, name)
  end function graph_param_c128_0

  function graph_constant_c128_0(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_loc(x)
    b = a
    n%ptr = leaf_any(g%ptr, 2, shape, a, 1_c_int64_t, SL_C128)
  end function graph_constant_c128_0

  subroutine plan_output_c128_0(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp
    src = output_any(p%ptr, i, c_null_ptr, 1_c_int64_t, SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp)
    x = fp
  end subroutine plan_output_c128_0

  subroutine plan_value_c128_0(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp
    src = output_any(p%ptr, -1, node%ptr, 1_c_int64_t, SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp)
    x = fp
  end subroutine plan_value_c128_0

  subroutine plan_bind_c128_1(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_1

  subroutine optim_bind_c128_1(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_1

  subroutine tensor_wrap_c128_1(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_1

  function graph_param_c128_1(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_1

  function graph_constant_c128_1(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_1

  subroutine plan_output_c128_1(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_1

  subroutine plan_value_c128_1(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_1

  subroutine plan_bind_c128_2(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_2

  subroutine optim_bind_c128_2(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_2

  subroutine tensor_wrap_c128_2(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_2

  function graph_param_c128_2(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_2

  function graph_constant_c128_2(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_2

  subroutine plan_output_c128_2(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_2

  subroutine plan_value_c128_2(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_2

  subroutine plan_bind_c128_3(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_3

  subroutine optim_bind_c128_3(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_3

  subroutine tensor_wrap_c128_3(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_3

  function graph_param_c128_3(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_3

  function graph_constant_c128_3(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_3

  subroutine plan_output_c128_3(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_3

  subroutine plan_value_c128_3(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_3

  subroutine plan_bind_c128_4(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_4

  subroutine optim_bind_c128_4(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_4

  subroutine tensor_wrap_c128_4(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_4

  function graph_param_c128_4(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_4

  function graph_constant_c128_4(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_4

  subroutine plan_output_c128_4(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_4

  subroutine plan_value_c128_4(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_4

  subroutine plan_bind_c128_5(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_5

  subroutine optim_bind_c128_5(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_5

  subroutine tensor_wrap_c128_5(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_5

  function graph_param_c128_5(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_5

  function graph_constant_c128_5(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_5

  subroutine plan_output_c128_5(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_5

  subroutine plan_value_c128_5(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_5

  subroutine plan_bind_c128_6(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_6

  subroutine optim_bind_c128_6(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_6

  subroutine tensor_wrap_c128_6(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_6

  function graph_param_c128_6(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_6

  function graph_constant_c128_6(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_6

  subroutine plan_output_c128_6(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_6

  subroutine plan_value_c128_6(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_6

  subroutine plan_bind_c128_7(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_7

  subroutine optim_bind_c128_7(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_7

  subroutine tensor_wrap_c128_7(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_7

  function graph_param_c128_7(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_7

  function graph_constant_c128_7(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_7

  subroutine plan_output_c128_7(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_7

  subroutine plan_value_c128_7(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_7

  subroutine plan_bind_c128_8(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call bind_any(h%ptr, c_null_ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine plan_bind_c128_8

  subroutine optim_bind_c128_8(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call bind_any(c_null_ptr, h%ptr, input%ptr, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, ierr)
  end subroutine optim_bind_c128_8

  subroutine tensor_wrap_c128_8(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:,:,:,:)
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call wrap_any(ctx%ptr, shape, a, b, size(x, kind=c_int64_t), SL_C128, 16_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_c128_8

  function graph_param_c128_8(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:,:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    n%ptr = leaf_any(g%ptr, 1, shape, a, size(x, kind=c_int64_t), SL_C128, name)
  end function graph_param_c128_8

  function graph_constant_c128_8(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:,:)
    type(sl_node) :: n
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    n%ptr = leaf_any(g%ptr, 2, shape, a, size(x, kind=c_int64_t), SL_C128)
  end function graph_constant_c128_8

  subroutine plan_output_c128_8(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:,:,:,:)
    src = output_any(p%ptr, i, c_null_ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_c128_8

  subroutine plan_value_c128_8(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    complex(c_double_complex), intent(inout) :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    complex(c_double_complex), pointer :: fp(:,:,:,:,:,:,:,:)
    src = output_any(p%ptr, -1, node%ptr, size(x, kind=c_int64_t), SL_C128, ierr)
    if (.not. c_associated(src)) return
    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_c128_8

  subroutine node_data_c128(n, x, ierr)
    type(sl_node), intent(in) :: n
    complex(c_double_complex), pointer, intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    nullify(x)
    call set_ierr(ierr, SL_OK)
    src = c_sl_node_data(n%ptr)
    if (.not. c_associated(src)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_node_dtype(n%ptr) /= SL_C128) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    call c_f_pointer(src, x, [c_sl_node_numel(n%ptr)])
  end subroutine node_data_c128
  ! ---- Symmetry discovery (discover.h) -----------------------------------------
  ! Matrices cross in their natural Fortran meaning: G(i, j) = G_ij, a generator
  ! J(i, j, a) = (J_a)_ij, structure constants f(a, b, c) = f_ab^c with
  ! [J_a, J_b] = sum_c f_ab^c J_c, the Killing form K(a, b); the wrappers do the
  ! index reversal.  Sample points are columns: x(nargs*n, m).

  logical function assoc_symmetry_opts(h)
    type(sl_symmetry_opts), intent(in) :: h
    assoc_symmetry_opts = c_associated(h%ptr)
  end function assoc_symmetry_opts
  logical function assoc_symmetry_result(h)
    type(sl_symmetry_result), intent(in) :: h
    assoc_symmetry_result = c_associated(h%ptr)
  end function assoc_symmetry_result

  subroutine sl_symmetry_opts_create(ctx, o, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_symmetry_opts), intent(out) :: o
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_create(ctx%ptr, o%ptr))
  end subroutine sl_symmetry_opts_create

  subroutine sl_symmetry_opts_destroy(o)
    type(sl_symmetry_opts), intent(inout) :: o
    call c_sl_symmetry_opts_destroy(o%ptr)
    o%ptr = c_null_ptr
  end subroutine sl_symmetry_opts_destroy

  ! phi(x) = x^T G x on R^n; G absent: the identity (|x|^2).
  subroutine sl_symmetry_opts_oracle_quadratic(o, n, g, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: n
    real(c_double), intent(in), optional :: g(:, :)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable, target :: gt(:, :)
    type(c_ptr) :: p
    p = c_null_ptr
    if (present(g)) then
      if (size(g, 1) /= n .or. size(g, 2) /= n) then
        call set_ierr(ierr, SL_ERR_SHAPE)
        return
      end if
      gt = transpose(g)
      p = c_loc(gt)
    end if
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_quadratic(o%ptr, int(n, c_int), p))
  end subroutine sl_symmetry_opts_oracle_quadratic

  subroutine sl_symmetry_opts_oracle_norm(o, n, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: n
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_norm(o%ptr, int(n, c_int)))
  end subroutine sl_symmetry_opts_oracle_norm

  ! <z, w> = z^dagger H w on pairs of C^n = R^2n (interleaved re, im); H absent: 1.
  subroutine sl_symmetry_opts_oracle_hermitian(o, n, h, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: n
    complex(c_double_complex), intent(in), optional :: h(:, :)
    integer, intent(out), optional :: ierr
    complex(c_double_complex), allocatable, target :: ht(:, :)
    type(c_ptr) :: p
    p = c_null_ptr
    if (present(h)) then
      if (size(h, 1) /= n .or. size(h, 2) /= n) then
        call set_ierr(ierr, SL_ERR_SHAPE)
        return
      end if
      ht = transpose(h)
      p = c_loc(ht)
    end if
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_hermitian(o%ptr, int(n, c_int), p))
  end subroutine sl_symmetry_opts_oracle_hermitian

  subroutine sl_symmetry_opts_oracle_determinant(o, n, is_complex, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: n
    logical, intent(in) :: is_complex
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_determinant(o%ptr, int(n, c_int), &
        merge(1_c_int, 0_c_int, is_complex)))
  end subroutine sl_symmetry_opts_oracle_determinant

  subroutine sl_symmetry_opts_oracle_octonion_3form(o, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_octonion_3form(o%ptr))
  end subroutine sl_symmetry_opts_oracle_octonion_3form

  subroutine sl_symmetry_opts_oracle_albert(o, with_trace, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    logical, intent(in) :: with_trace
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_albert(o%ptr, merge(1_c_int, 0_c_int, with_trace)))
  end subroutine sl_symmetry_opts_oracle_albert

  ! Sample points of the last oracle: x(nargs*n, m), one point per column (copied).
  subroutine sl_symmetry_opts_set_samples(o, x, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    real(c_double), intent(in), target, contiguous :: x(:, :)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_samples(o%ptr, int(size(x, 2), c_int64_t), c_loc(x)))
  end subroutine sl_symmetry_opts_set_samples

  subroutine sl_symmetry_opts_set_samples_count(o, m, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer(c_int64_t), intent(in) :: m
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_samples_count(o%ptr, m))
  end subroutine sl_symmetry_opts_set_samples_count

  subroutine sl_symmetry_opts_set_seed(o, seed, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer(c_int64_t), intent(in) :: seed
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_seed(o%ptr, seed))
  end subroutine sl_symmetry_opts_set_seed

  subroutine sl_symmetry_opts_set_solver(o, solver, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer(c_int), intent(in) :: solver
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_solver(o%ptr, solver))
  end subroutine sl_symmetry_opts_set_solver

  subroutine sl_symmetry_opts_set_generators(o, ng, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: ng
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_generators(o%ptr, int(ng, c_int)))
  end subroutine sl_symmetry_opts_set_generators

  subroutine sl_symmetry_opts_set_scan(o, ng_min, ng_max, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: ng_min, ng_max
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_scan(o%ptr, int(ng_min, c_int), int(ng_max, c_int)))
  end subroutine sl_symmetry_opts_set_scan

  subroutine sl_symmetry_opts_set_invariance(o, mode, eps, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer(c_int), intent(in) :: mode
    real(c_double), intent(in) :: eps
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_invariance(o%ptr, mode, eps))
  end subroutine sl_symmetry_opts_set_invariance

  subroutine sl_symmetry_opts_set_closure(o, mode, quartic, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer(c_int), intent(in) :: mode
    logical, intent(in) :: quartic
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_closure(o%ptr, mode, merge(1_c_int, 0_c_int, quartic)))
  end subroutine sl_symmetry_opts_set_closure

  subroutine sl_symmetry_opts_set_weights(o, inv, norm, orth, clos, sparsity, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    real(c_double), intent(in) :: inv, norm, orth, clos, sparsity
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_weights(o%ptr, inv, norm, orth, clos, sparsity))
  end subroutine sl_symmetry_opts_set_weights

  subroutine sl_symmetry_opts_set_training(o, adam_steps, lr, lbfgs_steps, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: adam_steps, lbfgs_steps
    real(c_double), intent(in) :: lr
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_training(o%ptr, int(adam_steps, c_int), lr, &
        int(lbfgs_steps, c_int)))
  end subroutine sl_symmetry_opts_set_training

  subroutine sl_symmetry_opts_set_tolerance(o, tol, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    real(c_double), intent(in) :: tol
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_tolerance(o%ptr, tol))
  end subroutine sl_symmetry_opts_set_tolerance

  subroutine sl_symmetry_opts_set_sparsify(o, on, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    logical, intent(in) :: on
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_sparsify(o%ptr, merge(1_c_int, 0_c_int, on)))
  end subroutine sl_symmetry_opts_set_sparsify

  subroutine sl_symmetry_opts_preset_reference(o, epochs, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: epochs
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_preset_reference(o%ptr, int(epochs, c_int)))
  end subroutine sl_symmetry_opts_preset_reference

  subroutine sl_discover_symmetries(ctx, o, r, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_symmetry_opts), intent(in) :: o
    type(sl_symmetry_result), intent(out) :: r
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_discover_symmetries(ctx%ptr, o%ptr, r%ptr))
  end subroutine sl_discover_symmetries

  ! One call: the symmetry algebra of phi(x) = x^T G x (exact solver, defaults).
  subroutine sl_discover_symmetries_quadratic(ctx, g, r, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: g(:, :)
    type(sl_symmetry_result), intent(out) :: r
    integer, intent(out), optional :: ierr
    type(sl_symmetry_opts) :: o
    integer :: st
    call sl_symmetry_opts_create(ctx, o, st)
    if (st == SL_OK) call sl_symmetry_opts_oracle_quadratic(o, size(g, 1), g, st)
    if (st == SL_OK) call sl_discover_symmetries(ctx, o, r, st)
    call sl_symmetry_opts_destroy(o)
    if (present(ierr)) ierr = st
  end subroutine sl_discover_symmetries_quadratic

  subroutine sl_symmetry_result_destroy(r)
    type(sl_symmetry_result), intent(inout) :: r
    call c_sl_symmetry_result_destroy(r%ptr)
    r%ptr = c_null_ptr
  end subroutine sl_symmetry_result_destroy

  integer function sl_symmetry_result_dim(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_dim = int(c_sl_symmetry_result_dim(r%ptr))
  end function sl_symmetry_result_dim

  integer function sl_symmetry_result_n(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_n = int(c_sl_symmetry_result_n(r%ptr))
  end function sl_symmetry_result_n

  integer function sl_symmetry_result_rank(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_rank = int(c_sl_symmetry_result_rank(r%ptr))
  end function sl_symmetry_result_rank

  integer function sl_symmetry_result_centre_dim(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_centre_dim = int(c_sl_symmetry_result_centre_dim(r%ptr))
  end function sl_symmetry_result_centre_dim

  logical function sl_symmetry_result_is_compact(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_is_compact = c_sl_symmetry_result_is_compact(r%ptr) /= 0
  end function sl_symmetry_result_is_compact

  ! j(i, j, a) = (J_a)_ij, a copy (allocated to (n, n, d)).
  subroutine sl_symmetry_result_generators(r, j)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: j(:, :, :)
    real(c_double), pointer :: raw(:, :, :)
    integer :: n, d, a
    n = sl_symmetry_result_n(r)
    d = sl_symmetry_result_dim(r)
    allocate(j(n, n, d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_generators(r%ptr), raw, [n, n, d])
    do a = 1, d
      j(:, :, a) = transpose(raw(:, :, a))
    end do
  end subroutine sl_symmetry_result_generators

  ! f(a, b, c) = f_ab^c, a copy (allocated to (d, d, d)).
  subroutine sl_symmetry_result_structure_constants(r, f)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: f(:, :, :)
    real(c_double), pointer :: raw(:, :, :)
    integer :: d, a, b
    d = sl_symmetry_result_dim(r)
    allocate(f(d, d, d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_structure_constants(r%ptr), raw, [d, d, d])
    do a = 1, d
      do b = 1, d
        f(a, b, :) = raw(:, b, a)
      end do
    end do
  end subroutine sl_symmetry_result_structure_constants

  subroutine sl_symmetry_result_killing_form(r, k)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: k(:, :)
    real(c_double), pointer :: raw(:, :)
    integer :: d
    d = sl_symmetry_result_dim(r)
    allocate(k(d, d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_killing_form(r%ptr), raw, [d, d])
    k = transpose(raw)
  end subroutine sl_symmetry_result_killing_form

  ! Eigenvalues of g^-1 K, ascending.
  subroutine sl_symmetry_result_killing_eigenvalues(r, e)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: e(:)
    real(c_double), pointer :: raw(:)
    integer :: d
    d = sl_symmetry_result_dim(r)
    allocate(e(d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_killing_eigenvalues(r%ptr), raw, [d])
    e = raw
  end subroutine sl_symmetry_result_killing_eigenvalues

  subroutine sl_symmetry_result_signature(r, nneg, npos, nzero, ierr)
    type(sl_symmetry_result), intent(in) :: r
    integer, intent(out) :: nneg, npos, nzero
    integer, intent(out), optional :: ierr
    integer(c_int) :: a, b, c
    a = 0
    b = 0
    c = 0
    call set_ierr(ierr, c_sl_symmetry_result_signature(r%ptr, a, b, c))
    nneg = int(a)
    npos = int(b)
    nzero = int(c)
  end subroutine sl_symmetry_result_signature

  function sl_symmetry_result_name(r) result(s)
    type(sl_symmetry_result), intent(in) :: r
    character(:), allocatable :: s
    s = from_c_string(c_sl_symmetry_result_name(r%ptr))
  end function sl_symmetry_result_name

  real(c_double) function sl_symmetry_result_closure_residual(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_closure_residual = c_sl_symmetry_result_closure_residual(r%ptr)
  end function sl_symmetry_result_closure_residual

  real(c_double) function sl_symmetry_result_singular_gap(r)
    type(sl_symmetry_result), intent(in) :: r
    sl_symmetry_result_singular_gap = c_sl_symmetry_result_singular_gap(r%ptr)
  end function sl_symmetry_result_singular_gap

  real(c_double) function sl_symmetry_result_loss(r, term)
    type(sl_symmetry_result), intent(in) :: r
    integer(c_int), intent(in) :: term
    sl_symmetry_result_loss = c_sl_symmetry_result_loss(r%ptr, term)
  end function sl_symmetry_result_loss

  subroutine sl_symmetry_result_save(r, path, ierr)
    type(sl_symmetry_result), intent(in) :: r
    character(*), intent(in) :: path
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_symmetry_result_save(r%ptr, c_loc(buf)))
  end subroutine sl_symmetry_result_save

  subroutine sl_symmetry_result_load(ctx, path, r, ierr)
    type(sl_ctx), intent(in) :: ctx
    character(*), intent(in) :: path
    type(sl_symmetry_result), intent(out) :: r
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_symmetry_result_load(ctx%ptr, c_loc(buf), r%ptr))
  end subroutine sl_symmetry_result_load

  subroutine sl_symmetry_result_export_csv(r, path, ierr)
    type(sl_symmetry_result), intent(in) :: r
    character(*), intent(in) :: path
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_symmetry_result_export_csv(r%ptr, c_loc(buf)))
  end subroutine sl_symmetry_result_export_csv

  subroutine sl_symmetry_result_export_json(r, path, ierr)
    type(sl_symmetry_result), intent(in) :: r
    character(*), intent(in) :: path
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_symmetry_result_export_json(r%ptr, c_loc(buf)))
  end subroutine sl_symmetry_result_export_json

  subroutine sl_symmetry_result_write_ppm(r, which, path, ierr)
    type(sl_symmetry_result), intent(in) :: r
    integer(c_int), intent(in) :: which
    character(*), intent(in) :: path
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_symmetry_result_write_ppm(r%ptr, which, c_loc(buf)))
  end subroutine sl_symmetry_result_write_ppm

  ! ---- Lie-algebra analysis (analysis.h), natural Fortran indices -------------------

  ! gens(i, j, a) = (J_a)_ij; f(a, b, c) = f_ab^c (allocated to (d, d, d)).
  subroutine sl_lie_structure_constants(ctx, gens, f, residual, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: gens(:, :, :)
    real(c_double), allocatable, intent(out) :: f(:, :, :)
    real(c_double), intent(out), optional :: residual
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: gt(:, :, :), raw(:, :, :)
    real(c_double) :: res
    integer :: n, d, a, b
    n = size(gens, 1)
    d = size(gens, 3)
    allocate(gt(n, n, d), raw(d, d, d), f(d, d, d))
    do a = 1, d
      gt(:, :, a) = transpose(gens(:, :, a))
    end do
    res = 0
    call set_ierr(ierr, c_sl_lie_structure_constants(ctx%ptr, int(d, c_int), int(n, c_int), gt, raw, res))
    do a = 1, d
      do b = 1, d
        f(a, b, :) = raw(:, b, a)
      end do
    end do
    if (present(residual)) residual = res
  end subroutine sl_lie_structure_constants

  ! K(a, b) from f(a, b, c) = f_ab^c.
  subroutine sl_lie_killing_form(ctx, f, k, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: f(:, :, :)
    real(c_double), allocatable, intent(out) :: k(:, :)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: raw(:, :, :)
    integer :: d, a, b
    d = size(f, 1)
    allocate(raw(d, d, d), k(d, d))
    do a = 1, d
      do b = 1, d
        raw(:, b, a) = f(a, b, :)
      end do
    end do
    call set_ierr(ierr, c_sl_lie_killing_form(ctx%ptr, int(d, c_int), raw, k))
    k = transpose(k)
  end subroutine sl_lie_killing_form

  ! ||P_A - P_B||_2 between the spans of a(:, :, 1:da) and b(:, :, 1:db).
  subroutine sl_lie_span_distance(ctx, a, b, dist, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: a(:, :, :), b(:, :, :)
    real(c_double), intent(out) :: dist
    integer, intent(out), optional :: ierr
    dist = 1
    call set_ierr(ierr, c_sl_lie_span_distance(ctx%ptr, int(size(a, 1), c_int), int(size(a, 3), c_int), &
        a, int(size(b, 3), c_int), b, dist))
  end subroutine sl_lie_span_distance

  ! ---- Lattice (symlearn/lattice.h) -------------------------------------------

  logical function assoc_gauge(h)
    type(sl_gauge), intent(in) :: h
    assoc_gauge = c_associated(h%ptr)
  end function assoc_gauge
  logical function assoc_lcnn(h)
    type(sl_lcnn), intent(in) :: h
    assoc_lcnn = c_associated(h%ptr)
  end function assoc_lcnn

  ! SL_GAUGE_LAYOUT_INIT: every field 0 (NULL), size = c_sizeof(lay).
  subroutine sl_gauge_layout_init(lay)
    type(sl_gauge_layout), intent(out) :: lay
    lay%order = SL_GAUGE_ORDER_CANONICAL
    lay%nd = 0
    lay%nc = 0
    lay%dims = 0
    lay%site_order = SL_SITES_LEX_T_FASTEST
    lay%direction_major = 0
    lay%colour_major = 0
    lay%pad = 0
    lay%site_size = 0
    lay%link_offset = 0
    lay%site_index = c_null_ptr
    lay%size = c_sizeof(lay)
  end subroutine sl_gauge_layout_init

  ! Bytes a host array of layout lay must hold (-1: not fixed by the layout,
  ! or a layout the library will reject with its own message).
  function layout_bytes(lay) result(nb)
    type(sl_gauge_layout), intent(in) :: lay
    integer(c_int64_t) :: nb, vol, n2
    integer :: i
    nb = -1
    if (lay%nd < 1 .or. lay%nd > SL_LATTICE_MAX_DIM .or. lay%nc < 2) return
    vol = 1
    do i = 1, lay%nd
      if (lay%dims(i) < 1) return
      vol = vol * lay%dims(i)
    end do
    n2 = 16_c_int64_t * lay%nc * lay%nc
    select case (lay%order)
    case (SL_GAUGE_ORDER_CANONICAL, SL_GAUGE_ORDER_CUSTOM, SL_GAUGE_ORDER_MILC, &
        SL_GAUGE_ORDER_CPS, SL_GAUGE_ORDER_TIFR, SL_GAUGE_ORDER_OPENQCD)
      nb = vol * lay%nd * n2
    case (SL_GAUGE_ORDER_BQCD)
      if (lay%pad >= 0) nb = lay%nd * (vol + 2 * lay%pad) * n2
    case (SL_GAUGE_ORDER_MILC_SITE)
      nb = (vol - 1) * int(lay%site_size, c_int64_t) + int(lay%link_offset, c_int64_t) + lay%nd * n2
    end select
  end function layout_bytes

  ! A host array from a to b (n elements of esize bytes) for layout lay: it
  ! must be contiguous and, where the order fixes it, large enough.
  function check_host(lay, a, b, n, esize) result(st)
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_intptr_t), intent(in) :: esize
    integer(c_int) :: st
    integer(c_int64_t) :: nb
    st = SL_OK
    if (n < 1) then
      st = SL_ERR_SHAPE
    else if (addr(b) - addr(a) /= (n - 1) * esize) then
      st = SL_ERR_ARG
    else if (lay%order == SL_GAUGE_ORDER_QDP) then
      st = SL_ERR_ARG                 ! QDP wants nd pointers: pass a type(c_ptr)
    else
      nb = layout_bytes(lay)
      if (nb > 0 .and. n * esize < nb) st = SL_ERR_SHAPE
    end if
  end function check_host

  ! A library-owned field, canonical layout, every link = 1; nd = size(dims).
  subroutine sl_gauge_create(ctx, dims, nc, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: dims(:)
    integer(c_int), intent(in) :: nc
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: d(max(size(dims), 1))
    d = 0
    d(1:size(dims)) = dims
    call set_ierr(ierr, c_sl_gauge_create(ctx%ptr, size(dims, kind=c_int), d, nc, u%ptr))
  end subroutine sl_gauge_create

  ! data: the host's address as is (QDP: c_loc of an array of nd c_ptr).
  subroutine gauge_wrap_ptr(ctx, lay, data, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: data
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_wrap(ctx%ptr, lay, data, u%ptr))
  end subroutine gauge_wrap_ptr

  subroutine gauge_wrap_any(ctx, lay, a, b, n, esize, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_intptr_t), intent(in) :: esize
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_host(lay, a, b, n, esize)
    if (st == SL_OK) st = c_sl_gauge_wrap(ctx%ptr, lay, a, u%ptr)
    call set_ierr(ierr, st)
  end subroutine gauge_wrap_any

  subroutine sl_gauge_refresh(u, ierr)
    type(sl_gauge), intent(in) :: u
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_refresh(u%ptr))
  end subroutine sl_gauge_refresh

  subroutine gauge_export_ptr(u, lay, data, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: data
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_export(u%ptr, lay, data))
  end subroutine gauge_export_ptr

  subroutine gauge_export_any(u, lay, a, b, n, esize, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_intptr_t), intent(in) :: esize
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_host(lay, a, b, n, esize)
    if (st == SL_OK) st = c_sl_gauge_export(u%ptr, lay, a)
    call set_ierr(ierr, st)
  end subroutine gauge_export_any

  subroutine sl_gauge_destroy(u)
    type(sl_gauge), intent(inout) :: u
    call c_sl_gauge_destroy(u%ptr)
    u%ptr = c_null_ptr
  end subroutine sl_gauge_destroy

  integer(c_int) function sl_gauge_nd(u)
    type(sl_gauge), intent(in) :: u
    sl_gauge_nd = c_sl_gauge_nd(u%ptr)
  end function sl_gauge_nd

  integer(c_int) function sl_gauge_nc(u)
    type(sl_gauge), intent(in) :: u
    sl_gauge_nc = c_sl_gauge_nc(u%ptr)
  end function sl_gauge_nc

  integer(c_int64_t) function sl_gauge_volume(u)
    type(sl_gauge), intent(in) :: u
    sl_gauge_volume = c_sl_gauge_volume(u%ptr)
  end function sl_gauge_volume

  ! dims(1:nd) = the extents of directions 0 .. nd-1 (the rest of dims: 0).
  subroutine sl_gauge_dims(u, dims)
    type(sl_gauge), intent(in) :: u
    integer(c_int64_t), intent(out) :: dims(:)
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    integer :: n
    d = 0
    call c_sl_gauge_dims(u%ptr, d)
    dims = 0
    n = min(size(dims), int(SL_LATTICE_MAX_DIM))
    dims(1:n) = d(1:n)
  end subroutine sl_gauge_dims

  logical function sl_gauge_in_place(u)
    type(sl_gauge), intent(in) :: u
    sl_gauge_in_place = c_sl_gauge_in_place(u%ptr) /= 0
  end function sl_gauge_in_place

  ! A view owned by u (never destroy it): C shape (L0, .., L_{nd-1}, nd, N, N).
  function sl_gauge_tensor(u) result(t)
    type(sl_gauge), intent(in) :: u
    type(sl_tensor) :: t
    t%ptr = c_sl_gauge_tensor(u%ptr)
  end function sl_gauge_tensor

  ! x => the canonical links of a library-owned field, volume*nd*N*N complex
  ! numbers (remap as x3(1:N, 1:N, 1:nd*volume) => x); SL_ERR_ARG (x null) for
  ! a field that reads a host array in place.
  subroutine sl_gauge_data(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), pointer, intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    integer(c_int64_t) :: n
    nullify(x)
    call set_ierr(ierr, SL_OK)
    src = c_sl_gauge_data(u%ptr)
    if (.not. c_associated(src)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    n = c_sl_gauge_volume(u%ptr) * c_sl_gauge_nd(u%ptr) * c_sl_gauge_nc(u%ptr) ** 2
    call c_f_pointer(src, x, [n])
  end subroutine sl_gauge_data

  integer(c_int64_t) function gauge_numel(u)
    type(sl_gauge), intent(in) :: u
    gauge_numel = c_sl_gauge_volume(u%ptr) * c_sl_gauge_nd(u%ptr) * c_sl_gauge_nc(u%ptr) ** 2
  end function gauge_numel

  subroutine sl_gauge_plaquette(u, plaq, ierr)
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: plaq
    integer, intent(out), optional :: ierr
    plaq = 0
    call set_ierr(ierr, c_sl_gauge_plaquette(u%ptr, plaq))
  end subroutine sl_gauge_plaquette

  subroutine sl_gauge_link_trace(u, trace, ierr)
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: trace
    integer, intent(out), optional :: ierr
    trace = 0
    call set_ierr(ierr, c_sl_gauge_link_trace(u%ptr, trace))
  end subroutine sl_gauge_link_trace

  ! out: count matrices, e.g. out(N, N, count) (each arrives transposed as a
  ! Fortran matrix: out(c, r, i) is row r, column c of matrix i).
  subroutine sl_su_random(ctx, nc, count, seed, out, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int), intent(in) :: nc
    integer(c_int64_t), intent(in) :: count, seed
    complex(c_double_complex), intent(out) :: out(*)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_su_random(ctx%ptr, nc, count, seed, out))
  end subroutine sl_su_random

  subroutine sl_su_reunitarize(ctx, nc, count, mats, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int), intent(in) :: nc
    integer(c_int64_t), intent(in) :: count
    complex(c_double_complex), intent(inout) :: mats(*)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_su_reunitarize(ctx%ptr, nc, count, mats))
  end subroutine sl_su_reunitarize

  ! out = exp(i H) for count Hermitian traceless in; in and out must be
  ! different arrays here (Fortran forbids the aliasing that C allows).
  subroutine sl_su_exp(ctx, nc, count, in, out, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int), intent(in) :: nc
    integer(c_int64_t), intent(in) :: count
    complex(c_double_complex), intent(in) :: in(*)
    complex(c_double_complex), intent(out) :: out(*)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_su_exp(ctx%ptr, nc, count, in, out))
  end subroutine sl_su_exp

  ! o: volume SU(N) matrices in canonical site order (library-owned u).
  subroutine sl_gauge_transform(u, o, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(in) :: o(*)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_transform(u%ptr, o))
  end subroutine sl_gauge_transform

  subroutine sl_gauge_transform_fields(ctx, nc, volume, nch, o, w, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int), intent(in) :: nc
    integer(c_int64_t), intent(in) :: volume, nch
    complex(c_double_complex), intent(in) :: o(*)
    complex(c_double_complex), intent(inout) :: w(*)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_transform_fields(ctx%ptr, nc, volume, nch, o, w))
  end subroutine sl_gauge_transform_fields

  subroutine sl_gauge_randomize(u, seed, ierr)
    type(sl_gauge), intent(in) :: u
    integer(c_int64_t), intent(in) :: seed
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_randomize(u%ptr, seed))
  end subroutine sl_gauge_randomize

  ! Wilson-action Monte Carlo on a library-owned field (SU(2) heat bath; SU(3)
  ! Cabibbo-Marinari with n_over overrelaxation sweeps).
  subroutine sl_gauge_heatbath(u, beta, nsweeps, n_over, seed, ierr)
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(in) :: beta
    integer(c_int), intent(in) :: nsweeps, n_over
    integer(c_int64_t), intent(in) :: seed
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_heatbath(u%ptr, beta, nsweeps, n_over, seed))
  end subroutine sl_gauge_heatbath

  subroutine sl_gauge_read_nersc(ctx, path, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    character(*), intent(in) :: path
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_gauge_read_nersc(ctx%ptr, c_loc(buf), u%ptr))
  end subroutine sl_gauge_read_nersc

  subroutine sl_gauge_write_nersc(u, path, ierr)
    type(sl_gauge), intent(in) :: u
    character(*), intent(in) :: path
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_gauge_write_nersc(u%ptr, c_loc(buf)))
  end subroutine sl_gauge_write_nersc

  ! Layers as graph ops (mu, nu: directions 0 .. nd-1 as in C).
  function sl_graph_link(g, u, mu) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u
    integer(c_int), intent(in) :: mu
    type(sl_node) :: n
    n%ptr = c_sl_graph_link(g%ptr, u%ptr, mu)
  end function sl_graph_link

  function sl_graph_plaquette(g, u, orientations, clover) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u
    integer(c_int), intent(in) :: orientations, clover
    type(sl_node) :: n
    n%ptr = c_sl_graph_plaquette(g%ptr, u%ptr, orientations, clover)
  end function sl_graph_plaquette

  function sl_graph_wilson_loop(g, u, mu, nu, a, b) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u
    integer(c_int), intent(in) :: mu, nu, a, b
    type(sl_node) :: n
    n%ptr = c_sl_graph_wilson_loop(g%ptr, u%ptr, mu, nu, a, b)
  end function sl_graph_wilson_loop

  function sl_graph_polyakov(g, u) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u
    type(sl_node) :: n
    n%ptr = c_sl_graph_polyakov(g%ptr, u%ptr)
  end function sl_graph_polyakov

  function sl_graph_transport(g, u, w, mu, k) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u, w
    integer(c_int), intent(in) :: mu, k
    type(sl_node) :: n
    n%ptr = c_sl_graph_transport(g%ptr, u%ptr, w%ptr, mu, k)
  end function sl_graph_transport

  function sl_graph_lconv(g, u, w, omega, k, dilation) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u, w, omega
    integer(c_int), intent(in) :: k, dilation
    type(sl_node) :: n
    n%ptr = c_sl_graph_lconv(g%ptr, u%ptr, w%ptr, omega%ptr, k, dilation)
  end function sl_graph_lconv

  function sl_graph_lbilin(g, a, b, alpha) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: a, b, alpha
    type(sl_node) :: n
    n%ptr = c_sl_graph_lbilin(g%ptr, a%ptr, b%ptr, alpha%ptr)
  end function sl_graph_lbilin

  function sl_graph_gcmconv(g, u, w, alpha, k, dilation, symmetric) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u, w, alpha
    integer(c_int), intent(in) :: k, dilation, symmetric
    type(sl_node) :: n
    n%ptr = c_sl_graph_gcmconv(g%ptr, u%ptr, w%ptr, alpha%ptr, k, dilation, symmetric)
  end function sl_graph_gcmconv

  integer(c_int64_t) function sl_gcmconv_terms(nd, channels, k, symmetric)
    integer(c_int), intent(in) :: nd
    integer(c_int64_t), intent(in) :: channels
    integer(c_int), intent(in) :: k, symmetric
    sl_gcmconv_terms = c_sl_gcmconv_terms(nd, channels, k, symmetric)
  end function sl_gcmconv_terms

  ! params: the (C, degree+1) node of SL_LACT_POLY; absent for RELU and TANH.
  function sl_graph_lact(g, w, kind, params) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: w
    integer(c_int), intent(in) :: kind
    type(sl_node), intent(in), optional :: params
    type(sl_node) :: n
    type(c_ptr) :: p
    p = c_null_ptr
    if (present(params)) p = params%ptr
    n%ptr = c_sl_graph_lact(g%ptr, w%ptr, kind, p)
  end function sl_graph_lact

  function sl_graph_lexp(g, u, w, beta) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u, w, beta
    type(sl_node) :: n
    n%ptr = c_sl_graph_lexp(g%ptr, u%ptr, w%ptr, beta%ptr)
  end function sl_graph_lexp

  function sl_graph_trace_features(g, w) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: w
    type(sl_node) :: n
    n%ptr = c_sl_graph_trace_features(g%ptr, w%ptr)
  end function sl_graph_trace_features

  ! Models.  SL_LCNN_OPTS_INIT, size = c_sizeof(opts).
  subroutine sl_lcnn_opts_init(opts)
    type(sl_lcnn_opts), intent(out) :: opts
    call c_sl_lcnn_opts_init(opts)
    opts%size = c_sizeof(opts)
  end subroutine sl_lcnn_opts_init

  ! The layer list is opts%nlayers, opts%channels(1:nlayers), opts%kernels(1:nlayers).
  subroutine sl_lcnn_create(ctx, opts, net, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_lcnn_opts), intent(in) :: opts
    type(sl_lcnn), intent(out) :: net
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_lcnn_create(ctx%ptr, opts, net%ptr))
  end subroutine sl_lcnn_create

  subroutine sl_lcnn_destroy(net)
    type(sl_lcnn), intent(inout) :: net
    call c_sl_lcnn_destroy(net%ptr)
    net%ptr = c_null_ptr
  end subroutine sl_lcnn_destroy

  integer(c_int64_t) function sl_lcnn_nparams(net)
    type(sl_lcnn), intent(in) :: net
    sl_lcnn_nparams = c_sl_lcnn_nparams(net%ptr)
  end function sl_lcnn_nparams

  ! out, in: exactly sl_lcnn_nparams(net) values (else SL_ERR_SHAPE), in C
  ! order: each layer's alpha (Cout, 2C+1, 2M+1) row-major, head (2C), bias.
  subroutine sl_lcnn_get_params(net, out, ierr)
    type(sl_lcnn), intent(in) :: net
    real(c_double), intent(out) :: out(:)
    integer, intent(out), optional :: ierr
    out = 0
    if (size(out, kind=c_int64_t) /= c_sl_lcnn_nparams(net%ptr)) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_lcnn_get_params(net%ptr, out))
  end subroutine sl_lcnn_get_params

  subroutine sl_lcnn_set_params(net, in, ierr)
    type(sl_lcnn), intent(in) :: net
    real(c_double), intent(in) :: in(:)
    integer, intent(out), optional :: ierr
    if (size(in, kind=c_int64_t) /= c_sl_lcnn_nparams(net%ptr)) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_lcnn_set_params(net%ptr, in))
  end subroutine sl_lcnn_set_params

  ! The network on graph nodes; params (optional, size >= nlayers + 2)
  ! receives the param nodes in flat order (the rest: null).
  function sl_lcnn_apply(net, g, u, params) result(n)
    type(sl_lcnn), intent(in) :: net
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u
    type(sl_node), intent(out), optional :: params(:)
    type(sl_node) :: n
    type(c_ptr), target :: ps(SL_LCNN_MAX_LAYERS + 2)
    integer :: i
    ps = c_null_ptr
    if (present(params)) then
      n%ptr = c_sl_lcnn_apply(net%ptr, g%ptr, u%ptr, c_loc(ps))
      do i = 1, size(params)
        params(i)%ptr = c_null_ptr
        if (i <= size(ps)) params(i)%ptr = ps(i)
      end do
    else
      n%ptr = c_sl_lcnn_apply(net%ptr, g%ptr, u%ptr, c_null_ptr)
    end if
  end function sl_lcnn_apply

  ! Predictions on u through a buffer of max(volume, 1) values; out holds
  ! volume values (per-site head) or 1 (pooled), else SL_ERR_SHAPE.
  subroutine lcnn_predict_any(net, u, buf, n, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), allocatable, intent(out) :: buf(:)
    integer(c_int64_t), intent(in) :: n
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: vol
    vol = c_sl_gauge_volume(u%ptr)
    allocate(buf(max(vol, 1_c_int64_t)))
    buf = 0
    if (n /= vol .and. n /= 1) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_lcnn_predict(net%ptr, u%ptr, buf))
  end subroutine lcnn_predict_any

  ! links: batch canonical fields (C (batch, L0.., nd, N, N), i.e. Fortran
  ! links(N, N, nd, L_{nd-1}, .., L0, batch)); out: batch*volume or batch values.
  subroutine sl_lcnn_predict_batch(net, batch, dims, links, out, ierr)
    type(sl_lcnn), intent(in) :: net
    integer(c_int64_t), intent(in) :: batch
    integer(c_int64_t), intent(in) :: dims(:)
    complex(c_double_complex), intent(in) :: links(*)
    real(c_double), intent(out) :: out(*)
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    if (size(dims) > SL_LATTICE_MAX_DIM) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    d = 0
    d(1:size(dims)) = dims
    call set_ierr(ierr, c_sl_lcnn_predict_batch(net%ptr, batch, d, links, out))
  end subroutine sl_lcnn_predict_batch

  ! SL_LCNN_TRAIN_OPTS_INIT, size = c_sizeof(opts).
  subroutine sl_lcnn_train_opts_init(opts)
    type(sl_lcnn_train_opts), intent(out) :: opts
    call c_sl_lcnn_train_opts_init(opts)
    opts%size = c_sizeof(opts)
  end subroutine sl_lcnn_train_opts_init

  ! n canonical fields links (as for sl_lcnn_predict_batch) with targets
  ! (L_{nd-1}, .., L0, n) per site (or (n) pooled); the last nval validate.
  subroutine sl_lcnn_train(net, n, nval, dims, links, targets, opts, ierr)
    type(sl_lcnn), intent(in) :: net
    integer(c_int64_t), intent(in) :: n, nval
    integer(c_int64_t), intent(in) :: dims(:)
    complex(c_double_complex), intent(in) :: links(*)
    real(c_double), intent(in) :: targets(*)
    type(sl_lcnn_train_opts), intent(in) :: opts
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    if (size(dims) > SL_LATTICE_MAX_DIM) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    d = 0
    d(1:size(dims)) = dims
    call set_ierr(ierr, c_sl_lcnn_train(net%ptr, n, nval, d, links, targets, opts))
  end subroutine sl_lcnn_train

  subroutine sl_lcnn_save(net, path, ierr)
    type(sl_lcnn), intent(in) :: net
    character(*), intent(in) :: path
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_lcnn_save(net%ptr, c_loc(buf)))
  end subroutine sl_lcnn_save

  subroutine sl_lcnn_load(ctx, path, net, ierr)
    type(sl_ctx), intent(in) :: ctx
    character(*), intent(in) :: path
    type(sl_lcnn), intent(out) :: net
    integer, intent(out), optional :: ierr
    character(kind=c_char), allocatable, target :: buf(:)
    call to_c_string(path, buf)
    call set_ierr(ierr, c_sl_lcnn_load(ctx%ptr, c_loc(buf), net%ptr))
  end subroutine sl_lcnn_load

  ! Array arguments (generated: one procedure per element type and rank).

  subroutine gauge_wrap_c128_1(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_1

  subroutine gauge_export_c128_1(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_1

  subroutine gauge_wrap_c128_2(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_2

  subroutine gauge_export_c128_2(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_2

  subroutine gauge_wrap_c128_3(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_3

  subroutine gauge_export_c128_3(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_3

  subroutine gauge_wrap_c128_4(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_4

  subroutine gauge_export_c128_4(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_4

  subroutine gauge_wrap_c128_5(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_5

  subroutine gauge_export_c128_5(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_5

  subroutine gauge_wrap_c128_6(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_6

  subroutine gauge_export_c128_6(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_6

  subroutine gauge_wrap_c128_7(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_7

  subroutine gauge_export_c128_7(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_7

  subroutine gauge_wrap_c128_8(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(in), target :: x(:,:,:,:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_c128_8

  subroutine gauge_export_c128_8(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    complex(c_double_complex), intent(inout), target :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 16_c_intptr_t, ierr)
  end subroutine gauge_export_c128_8

  subroutine gauge_wrap_f64_1(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_1

  subroutine gauge_export_f64_1(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1))
      b = c_loc(x(size(x,1)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_1

  subroutine gauge_wrap_f64_2(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_2

  subroutine gauge_export_f64_2(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1))
      b = c_loc(x(size(x,1),size(x,2)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_2

  subroutine gauge_wrap_f64_3(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_3

  subroutine gauge_export_f64_3(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_3

  subroutine gauge_wrap_f64_4(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_4

  subroutine gauge_export_f64_4(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_4

  subroutine gauge_wrap_f64_5(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_5

  subroutine gauge_export_f64_5(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_5

  subroutine gauge_wrap_f64_6(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_6

  subroutine gauge_export_f64_6(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_6

  subroutine gauge_wrap_f64_7(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_7

  subroutine gauge_export_f64_7(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_7

  subroutine gauge_wrap_f64_8(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(in), target :: x(:,:,:,:,:,:,:,:)
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call gauge_wrap_any(ctx, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_f64_8

  subroutine gauge_export_f64_8(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    real(c_double), intent(inout), target :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
    a = c_null_ptr
    b = c_null_ptr
    if (size(x) > 0) then
      a = c_loc(x(1,1,1,1,1,1,1,1))
      b = c_loc(x(size(x,1),size(x,2),size(x,3),size(x,4),size(x,5),size(x,6),size(x,7),size(x,8)))
    end if
    call gauge_export_any(u, lay, a, b, size(x, kind=c_int64_t), 8_c_intptr_t, ierr)
  end subroutine gauge_export_f64_8

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_1(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_1

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_2(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_2

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_3(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_3

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_4(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_4

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_5(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_5

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_6(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_6

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_7(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_7

  ! x: volume*nd*N*N elements (else SL_ERR_SHAPE), e.g. x(N, N, nd, L_{nd-1}, .., L0).
  subroutine gauge_copy_canonical_c128_8(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), intent(out) :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_c128_8

  subroutine lcnn_predict_f64_0(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, 1_c_int64_t, st)
    x = 0
    if (st == SL_OK) x = buf(1)
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_0

  subroutine lcnn_predict_f64_1(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = buf(1:size(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_1

  subroutine lcnn_predict_f64_2(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_2

  subroutine lcnn_predict_f64_3(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_3

  subroutine lcnn_predict_f64_4(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:,:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_4

  subroutine lcnn_predict_f64_5(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:,:,:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_5

  subroutine lcnn_predict_f64_6(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_6

  subroutine lcnn_predict_f64_7(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_7

  subroutine lcnn_predict_f64_8(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), intent(out) :: x(:,:,:,:,:,:,:,:)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, size(x, kind=c_int64_t), st)
    x = 0
    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_f64_8

  ! ---- end of Lattice (symlearn/lattice.h) ------------------------------------
end module symlearn
