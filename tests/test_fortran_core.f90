! Fortran interface, core and graph: the context and its options (a log
! callback in a bind(c) mirror), the option-struct mirrors against the C
! layout (tests/fortran_layout.c), the initialisers' defaults, the RNG, a
! small MLP fitted with Adam with its gradients checked against finite
! differences, complex data through a plan, tensors over Fortran arrays, and
! errors reaching ierr.
module core_log
  use, intrinsic :: iso_c_binding, only: c_int, c_ptr, c_char, c_associated
  implicit none
  private
  integer, public :: nlog = 0, last_level = -1
  logical, public :: log_user_seen = .false.
  public :: on_log
contains
  subroutine on_log(user, level, message) bind(c)
    type(c_ptr), value :: user
    integer(c_int), value :: level
    character(kind=c_char), intent(in) :: message(*)
    nlog = nlog + 1
    last_level = int(level)
    log_user_seen = c_associated(user) .and. message(1) /= ' '
  end subroutine on_log
end module core_log

program test_fortran_core
  use symlearn
  use checks
  use core_log, only: on_log, nlog, last_level, log_user_seen
  use, intrinsic :: iso_c_binding, only: c_sizeof, c_funloc, c_loc, c_null_char, c_char, &
      c_intptr_t, c_associated, c_ptr
  use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_positive_inf
  implicit none

  interface
    function layout(s, f) bind(c, name='sl_test_layout')
      import :: c_size_t, c_char
      integer(c_size_t) :: layout
      character(kind=c_char), intent(in) :: s(*), f(*)
    end function layout
    function layout_fields(s) bind(c, name='sl_test_layout_fields')
      import :: c_int, c_char
      integer(c_int) :: layout_fields
      character(kind=c_char), intent(in) :: s(*)
    end function layout_fields
  end interface

  integer(c_int64_t), parameter :: seed = 20240601_c_int64_t
  type(sl_ctx) :: ctx

  call check('version string is 1.0.0', sl_version_string() == '1.0.0')
  call check('BLAS named', len(sl_blas_info()) > 0 .and. &
      (sl_blas_is_optimized() == 1) .eqv. (index(sl_blas_info(), 'OpenBLAS') == 1 .or. index(sl_blas_info(), 'BLIS') == 1))
  call check('status strings', sl_status_string(SL_OK) /= '' .and. &
      sl_status_string(SL_ERR_SHAPE) /= sl_status_string(SL_ERR_ARG))
  call context_and_options()
  call mirrors()
  call initialisers()
  call random_numbers()
  call sl_ctx_create(ctx)
  call sl_ctx_set_seed(ctx, seed)
  call fit_mlp()
  call complex_plan()
  call tensors()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check('handle nulled on destroy', .not. sl_associated(ctx))
  call check_done()

contains

  ! The context: defaults, options with a log callback, errors.
  subroutine context_and_options()
    type(sl_ctx) :: c, bad
    type(sl_ctx_opts), target :: o
    type(sl_tensor) :: t
    integer :: ierr
    integer, target :: user
    call sl_ctx_create(c, ierr)
    call expect_ok('sl_ctx_create', ierr)
    call check('a new context has no error', sl_ctx_last_status(c) == SL_OK .and. &
        sl_ctx_errmsg(c) == '')
    call sl_ctx_set_seed(c, 42_c_int64_t, ierr)
    call check('sl_ctx_set_seed', ierr == SL_OK .and. sl_ctx_seed(c) == 42)
    call sl_ctx_set_threads(c, 0, ierr)
    call check('nthreads = 0 is SL_ERR_ARG in ierr', ierr == SL_ERR_ARG)
    call check('... with the status and message on the context', &
        sl_ctx_last_status(c) == SL_ERR_ARG .and. index(sl_ctx_errmsg(c), 'sl_ctx_set_threads') == 1)
    call sl_ctx_clear_error(c)
    call check('sl_ctx_clear_error', sl_ctx_last_status(c) == SL_OK .and. sl_ctx_errmsg(c) == '')
    call sl_ctx_set_threads(c, 1, ierr)
    call check('sl_ctx_set_threads', ierr == SL_OK .and. sl_ctx_threads(c) == 1)
    call sl_ctx_destroy(c)

    call sl_ctx_opts_init(o, ierr)
    call check('sl_ctx_opts_init: SL_OK, size = c_sizeof, log level SL_LOG_WARN', &
        ierr == SL_OK .and. o%size == c_sizeof(o) .and. o%log_level == SL_LOG_WARN .and. &
        .not. c_associated(o%log_user))
    o%seed = 77
    o%log = c_funloc(on_log)
    o%log_user = c_loc(user)
    call sl_ctx_create(c, ierr, o)
    call expect_ok('sl_ctx_create with options', ierr)
    call check('the options reach the context', sl_ctx_seed(c) == 77)
    call sl_tensor_create(c, SL_F64, [3_c_int64_t, 0_c_int64_t], t, ierr)
    call check('a zero dimension is SL_ERR_SHAPE in ierr', ierr == SL_ERR_SHAPE .and. &
        .not. sl_associated(t))
    call check('the error reached the Fortran log callback', nlog == 1 .and. &
        last_level == SL_LOG_ERROR .and. log_user_seen)
    call sl_tensor_create(c, SL_F64, [3_c_int64_t, 0_c_int64_t], t)
    call check('without ierr the failure is recorded only', .not. sl_associated(t) .and. &
        sl_ctx_last_status(c) == SL_ERR_SHAPE .and. nlog == 2)
    call sl_ctx_destroy(c)
    o%nthreads = -1
    call sl_ctx_create(bad, ierr, opts=o)
    call check('bad options: SL_ERR_ARG and no context', ierr == SL_ERR_ARG .and. &
        .not. sl_associated(bad))
  end subroutine context_and_options

  ! The bind(c) mirrors have the C layout: sizes and every field's offset.
  subroutine mirrors()
    type(sl_ctx_opts), target :: co
    type(sl_optim_opts), target :: oo
    type(sl_gauge_layout), target :: gl
    type(sl_lcnn_opts), target :: lo
    type(sl_lcnn_train_opts), target :: tr
    integer :: n
    call struct_size('sl_ctx_opts', c_sizeof(co))
    n = 0
    call field('sl_ctx_opts', 'size', c_loc(co), c_loc(co%size), n)
    call field('sl_ctx_opts', 'alloc', c_loc(co), c_loc(co%alloc), n)
    call field('sl_ctx_opts', 'free', c_loc(co), c_loc(co%free), n)
    call field('sl_ctx_opts', 'alloc_user', c_loc(co), c_loc(co%alloc_user), n)
    call field('sl_ctx_opts', 'log', c_loc(co), c_loc(co%log), n)
    call field('sl_ctx_opts', 'log_user', c_loc(co), c_loc(co%log_user), n)
    call field('sl_ctx_opts', 'log_level', c_loc(co), c_loc(co%log_level), n)
    call field('sl_ctx_opts', 'seed', c_loc(co), c_loc(co%seed), n)
    call field('sl_ctx_opts', 'nthreads', c_loc(co), c_loc(co%nthreads), n)
    call all_fields('sl_ctx_opts', n)

    call struct_size('sl_optim_opts', c_sizeof(oo))
    n = 0
    call field('sl_optim_opts', 'size', c_loc(oo), c_loc(oo%size), n)
    call field('sl_optim_opts', 'kind', c_loc(oo), c_loc(oo%kind), n)
    call field('sl_optim_opts', 'lr', c_loc(oo), c_loc(oo%lr), n)
    call field('sl_optim_opts', 'momentum', c_loc(oo), c_loc(oo%momentum), n)
    call field('sl_optim_opts', 'dampening', c_loc(oo), c_loc(oo%dampening), n)
    call field('sl_optim_opts', 'nesterov', c_loc(oo), c_loc(oo%nesterov), n)
    call field('sl_optim_opts', 'beta1', c_loc(oo), c_loc(oo%beta1), n)
    call field('sl_optim_opts', 'beta2', c_loc(oo), c_loc(oo%beta2), n)
    call field('sl_optim_opts', 'eps', c_loc(oo), c_loc(oo%eps), n)
    call field('sl_optim_opts', 'weight_decay', c_loc(oo), c_loc(oo%weight_decay), n)
    call field('sl_optim_opts', 'amsgrad', c_loc(oo), c_loc(oo%amsgrad), n)
    call field('sl_optim_opts', 'history', c_loc(oo), c_loc(oo%history), n)
    call field('sl_optim_opts', 'max_iter', c_loc(oo), c_loc(oo%max_iter), n)
    call field('sl_optim_opts', 'max_eval', c_loc(oo), c_loc(oo%max_eval), n)
    call field('sl_optim_opts', 'tolerance_grad', c_loc(oo), c_loc(oo%tolerance_grad), n)
    call field('sl_optim_opts', 'tolerance_change', c_loc(oo), c_loc(oo%tolerance_change), n)
    call field('sl_optim_opts', 'line_search', c_loc(oo), c_loc(oo%line_search), n)
    call all_fields('sl_optim_opts', n)

    call struct_size('sl_gauge_layout', c_sizeof(gl))
    n = 0
    call field('sl_gauge_layout', 'size', c_loc(gl), c_loc(gl%size), n)
    call field('sl_gauge_layout', 'order', c_loc(gl), c_loc(gl%order), n)
    call field('sl_gauge_layout', 'nd', c_loc(gl), c_loc(gl%nd), n)
    call field('sl_gauge_layout', 'nc', c_loc(gl), c_loc(gl%nc), n)
    call field('sl_gauge_layout', 'dims', c_loc(gl), c_loc(gl%dims), n)
    call field('sl_gauge_layout', 'site_order', c_loc(gl), c_loc(gl%site_order), n)
    call field('sl_gauge_layout', 'direction_major', c_loc(gl), c_loc(gl%direction_major), n)
    call field('sl_gauge_layout', 'colour_major', c_loc(gl), c_loc(gl%colour_major), n)
    call field('sl_gauge_layout', 'pad', c_loc(gl), c_loc(gl%pad), n)
    call field('sl_gauge_layout', 'site_size', c_loc(gl), c_loc(gl%site_size), n)
    call field('sl_gauge_layout', 'link_offset', c_loc(gl), c_loc(gl%link_offset), n)
    call field('sl_gauge_layout', 'site_index', c_loc(gl), c_loc(gl%site_index), n)
    call all_fields('sl_gauge_layout', n)
    call check('sl_gauge_layout: dims(SL_LATTICE_MAX_DIM)', size(gl%dims) == SL_LATTICE_MAX_DIM)

    call struct_size('sl_lcnn_opts', c_sizeof(lo))
    n = 0
    call field('sl_lcnn_opts', 'size', c_loc(lo), c_loc(lo%size), n)
    call field('sl_lcnn_opts', 'nd', c_loc(lo), c_loc(lo%nd), n)
    call field('sl_lcnn_opts', 'nc', c_loc(lo), c_loc(lo%nc), n)
    call field('sl_lcnn_opts', 'nlayers', c_loc(lo), c_loc(lo%nlayers), n)
    call field('sl_lcnn_opts', 'channels', c_loc(lo), c_loc(lo%channels), n)
    call field('sl_lcnn_opts', 'kernels', c_loc(lo), c_loc(lo%kernels), n)
    call field('sl_lcnn_opts', 'dilation', c_loc(lo), c_loc(lo%dilation), n)
    call field('sl_lcnn_opts', 'symmetric', c_loc(lo), c_loc(lo%symmetric), n)
    call field('sl_lcnn_opts', 'orientations', c_loc(lo), c_loc(lo%orientations), n)
    call field('sl_lcnn_opts', 'head', c_loc(lo), c_loc(lo%head), n)
    call field('sl_lcnn_opts', 'seed', c_loc(lo), c_loc(lo%seed), n)
    call all_fields('sl_lcnn_opts', n)
    call check('sl_lcnn_opts: channels(SL_LCNN_MAX_LAYERS)', size(lo%channels) == SL_LCNN_MAX_LAYERS)

    call struct_size('sl_lcnn_train_opts', c_sizeof(tr))
    n = 0
    call field('sl_lcnn_train_opts', 'size', c_loc(tr), c_loc(tr%size), n)
    call field('sl_lcnn_train_opts', 'epochs', c_loc(tr), c_loc(tr%epochs), n)
    call field('sl_lcnn_train_opts', 'batch', c_loc(tr), c_loc(tr%batch), n)
    call field('sl_lcnn_train_opts', 'lr', c_loc(tr), c_loc(tr%lr), n)
    call field('sl_lcnn_train_opts', 'amsgrad', c_loc(tr), c_loc(tr%amsgrad), n)
    call field('sl_lcnn_train_opts', 'weight_decay', c_loc(tr), c_loc(tr%weight_decay), n)
    call field('sl_lcnn_train_opts', 'patience', c_loc(tr), c_loc(tr%patience), n)
    call field('sl_lcnn_train_opts', 'seed', c_loc(tr), c_loc(tr%seed), n)
    call field('sl_lcnn_train_opts', 'progress', c_loc(tr), c_loc(tr%progress), n)
    call field('sl_lcnn_train_opts', 'progress_user', c_loc(tr), c_loc(tr%progress_user), n)
    call all_fields('sl_lcnn_train_opts', n)
  end subroutine mirrors

  subroutine struct_size(s, fsize)
    character(*), intent(in) :: s
    integer(c_size_t), intent(in) :: fsize
    integer(c_size_t) :: csize
    csize = layout(s // c_null_char, c_null_char)
    if (fsize /= csize) print '(a, a, i0, a, i0)', s, ': c_sizeof ', fsize, ', C sizeof ', csize
    call check(s // ': c_sizeof(mirror) = C sizeof', fsize == csize)
  end subroutine struct_size

  subroutine field(s, f, base, at, n)
    character(*), intent(in) :: s, f
    type(c_ptr), intent(in) :: base, at
    integer, intent(inout) :: n
    integer(c_size_t) :: coff
    integer(c_intptr_t) :: foff
    coff = layout(s // c_null_char, f // c_null_char)
    foff = transfer(at, foff) - transfer(base, foff)
    if (foff /= int(coff, c_intptr_t)) print '(a, a, a, a, i0, a, i0)', s, '%', f, &
        ': Fortran offset ', foff, ', C offsetof ', coff
    call check(s // '%' // f // ': offset as in C', foff == int(coff, c_intptr_t))
    n = n + 1
  end subroutine field

  subroutine all_fields(s, n)
    character(*), intent(in) :: s
    integer, intent(in) :: n
    call check(s // ': every field of tests/fortran_layout.c compared', &
        n == layout_fields(s // c_null_char) .and. n > 0)
  end subroutine all_fields

  ! The initialisers write the C defaults (through the sized C functions);
  ! a mirror's default initialisation already holds them.
  subroutine initialisers()
    type(sl_optim_opts) :: oo
    type(sl_gauge_layout) :: gl
    type(sl_lcnn_opts) :: lo, fresh
    type(sl_lcnn_train_opts) :: tr
    integer :: ierr
    call sl_optim_opts_init(oo, SL_OPTIM_ADAM, ierr)
    call check('sl_optim_opts_init (Adam): size, lr 1e-3, betas, eps', ierr == SL_OK .and. &
        oo%size == c_sizeof(oo) .and. oo%kind == SL_OPTIM_ADAM .and. oo%lr == 1.0e-3_c_double &
        .and. oo%beta1 == 0.9_c_double .and. oo%beta2 == 0.999_c_double .and. &
        oo%eps == 1.0e-8_c_double)
    call sl_optim_opts_init(oo, SL_OPTIM_LBFGS)
    call check('sl_optim_opts_init (L-BFGS): history 10, max_iter 20, strong Wolfe', &
        oo%lr == 1 .and. oo%history == 10 .and. oo%max_iter == 20 .and. oo%max_eval == 25 .and. &
        oo%line_search == 1)
    gl%nd = 4
    gl%dims = 9
    call sl_gauge_layout_init(gl, ierr)
    call check('sl_gauge_layout_init: size set, everything else 0', ierr == SL_OK .and. &
        gl%size == c_sizeof(gl) .and. gl%nd == 0 .and. all(gl%dims == 0) .and. &
        gl%order == SL_GAUGE_ORDER_CANONICAL .and. .not. c_associated(gl%site_index))
    call sl_lcnn_opts_init(lo, ierr)
    call check('sl_lcnn_opts_init: SL_LCNN_OPTS_INIT', ierr == SL_OK .and. &
        lo%size == c_sizeof(lo) .and. lo%nd == 2 .and. lo%nc == 2 .and. lo%nlayers == 0 .and. &
        lo%orientations == 1 .and. lo%head == SL_LCNN_HEAD_SITE .and. all(lo%channels == 0))
    call check('sl_lcnn_opts default initialisation = the C defaults but size', &
        fresh%size == 0 .and. fresh%nd == lo%nd .and. fresh%orientations == lo%orientations)
    call sl_lcnn_train_opts_init(tr, ierr)
    call check('sl_lcnn_train_opts_init: SL_LCNN_TRAIN_OPTS_INIT', ierr == SL_OK .and. &
        tr%size == c_sizeof(tr) .and. tr%epochs == 100 .and. tr%batch == 100 .and. &
        tr%lr == 1.0e-3_c_double .and. tr%amsgrad == 1 .and. .not. c_associated(tr%progress_user))
  end subroutine initialisers

  subroutine random_numbers()
    real(c_double) :: u(5), z(4)
    integer :: i
    logical :: ok
    call sl_rng_fill_uniform(seed, 3_c_int64_t, -1.0_c_double, 1.0_c_double, u)
    ok = .true.
    do i = 1, 5
      ok = ok .and. u(i) == -1 + 2 * sl_rng_uniform(seed, int(i + 2, c_int64_t))
    end do
    call check('sl_rng_fill_uniform(first = 3) = sl_rng_uniform(3 ..)', ok)
    call sl_rng_fill_normal(seed, 0_c_int64_t, 1.0_c_double, 2.0_c_double, z)
    ok = .true.
    do i = 1, 4
      ok = ok .and. z(i) == 1 + 2 * sl_rng_normal(seed, int(i - 1, c_int64_t))
    end do
    call check('sl_rng_fill_normal = sl_rng_normal', ok)
    call check('sl_rng_u64 is a pure function of (seed, k)', &
        sl_rng_u64(seed, 5_c_int64_t) == sl_rng_u64(seed, 5_c_int64_t) .and. &
        sl_rng_u64(seed, 5_c_int64_t) /= sl_rng_u64(seed, 6_c_int64_t))
  end subroutine random_numbers

  ! Fit y = sin(x) on 64 points of [-2, 2] with a 1 -> 16 -> 1 tanh MLP
  ! trained by Adam.  The samples are C arrays of shape (64, 1): Fortran
  ! x(1, 64); the C weight of shape (1, 16) is the Fortran w1(16, 1), etc.
  subroutine fit_mlp()
    integer, parameter :: npts = 64, nhid = 16, nsteps = 500
    type(sl_graph) :: g, g2
    type(sl_node) :: x, y, w1, b1, w2, b2, h, out, loss, params(4), grads(4), spare(3), bad, worse
    type(sl_plan) :: plan
    type(sl_optim) :: opt
    type(sl_optim_opts) :: opts
    real(c_double), target :: xdata(1, npts), ydata(1, npts), wide(2, npts)
    real(c_double) :: w1init(nhid, 1), b1init(nhid), w2init(1, nhid), b2init(1)
    real(c_double) :: l, l0, lfinal
    integer :: i, ierr
    integer(c_int64_t) :: k
    do i = 1, npts
      xdata(1, i) = -2.0_c_double + 4.0_c_double * (i - 1) / (npts - 1)
    end do
    ydata = sin(xdata)
    k = 0
    do i = 1, nhid
      w1init(i, 1) = sl_rng_normal(seed, k)
      b1init(i) = sl_rng_normal(seed, k + 1)
      w2init(1, i) = 0.25_c_double * sl_rng_normal(seed, k + 2)
      k = k + 3
    end do
    b2init = 0

    call sl_graph_create(ctx, g, ierr)
    call expect_ok('sl_graph_create', ierr)
    x = sl_graph_input(g, SL_F64, sl_c_shape(shape(xdata)), 'x')
    y = sl_graph_input(g, SL_F64, [int(npts, c_int64_t), 1_c_int64_t], 'y')
    w1 = sl_graph_param(g, sl_c_shape(shape(w1init)), w1init, 'w1')
    b1 = sl_graph_param(g, sl_c_shape(shape(b1init)), b1init, 'b1')
    w2 = sl_graph_param(g, sl_c_shape(shape(w2init)), w2init, 'w2')
    b2 = sl_graph_param(g, sl_c_shape(shape(b2init)), b2init, 'b2')
    h = sl_graph_tanh(g, sl_graph_add(g, sl_graph_matmul(g, x, w1), b1))
    out = sl_graph_add(g, sl_graph_matmul(g, h, w2), b2)
    loss = sl_graph_mean(g, sl_graph_square(g, sl_graph_sub(g, out, y)))
    call expect_ok('building the model: ' // sl_ctx_errmsg(ctx), int(sl_graph_status(g)))
    call check('node shapes in C order', sl_node_rank(x) == 2 .and. sl_node_dim(x, 0) == npts &
        .and. sl_node_dim(w1, 1) == nhid .and. sl_node_rank(loss) == 0 .and. &
        sl_node_numel(w1) == nhid .and. sl_node_dtype(w1) == SL_F64)
    call check('node names', sl_node_name(w1) == 'w1' .and. len(sl_node_op_name(loss)) > 0)
    call check('node count', sl_graph_node_count(g) > 10)

    params = [w1, b1, w2, b2]
    call sl_graph_grad(g, loss, params, grads, ierr)
    call expect_ok('sl_graph_grad', ierr)
    call sl_graph_grad(g, loss, params, spare(1:3), ierr)
    call check('sl_graph_grad with size(grads) /= size(xs): SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_plan_create(g, [loss, grads], plan, ierr)
    call expect_ok('sl_plan_create', ierr)
    call sl_plan_run(plan, ierr)
    call check('run with unbound inputs: SL_ERR_UNBOUND', ierr == SL_ERR_UNBOUND)
    call sl_plan_bind(plan, x, xdata, ierr)
    call expect_ok('sl_plan_bind x', ierr)
    call sl_plan_bind(plan, y, ydata, ierr)
    call expect_ok('sl_plan_bind y', ierr)
    call sl_plan_run(plan, ierr)
    call expect_ok('sl_plan_run', ierr)
    l0 = sl_plan_scalar(plan, 0)
    call check('initial loss is finite and positive', l0 > 0 .and. l0 < huge(l0))
    call check('plan steps and bytes', sl_plan_steps(plan) > 0 .and. sl_plan_bytes(plan) > 0)
    do i = 1, 4
      call check_fd(plan, params(i), grads(i), i)
    end do

    call sl_optim_opts_init(opts, SL_OPTIM_ADAM)
    opts%lr = 0.02_c_double
    call sl_optim_create(g, loss, params, opts, opt, ierr)
    call expect_ok('sl_optim_create: ' // sl_ctx_errmsg(ctx), ierr)
    call sl_optim_bind(opt, x, xdata, ierr)
    call expect_ok('sl_optim_bind x', ierr)
    call sl_optim_bind(opt, y, ydata, ierr)
    call expect_ok('sl_optim_bind y', ierr)
    call sl_plan_set_cache_data(sl_optim_plan(opt), .true., ierr)
    call expect_ok('sl_plan_set_cache_data', ierr)
    do i = 1, nsteps
      call sl_optim_step(opt, l, ierr)
      if (ierr /= SL_OK) exit
    end do
    call expect_ok('sl_optim_step: ' // sl_ctx_errmsg(ctx), ierr)
    call sl_optim_eval(opt, lfinal, ierr)
    call expect_ok('sl_optim_eval', ierr)
    call check('Adam: final loss < 1e-3', lfinal < 1.0e-3_c_double)
    call check('steps counted', sl_optim_steps(opt) == nsteps)
    call sl_optim_step(opt, ierr=ierr)
    call check('sl_optim_step without loss', ierr == SL_OK .and. sl_optim_steps(opt) == nsteps + 1)
    call sl_optim_set_lr(opt, -1.0_c_double, ierr)
    call check('a negative learning rate is SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_optim_reset(opt)

    call sl_plan_run(plan, ierr)
    call expect_ok('sl_plan_run after training', ierr)
    call sl_optim_eval(opt, lfinal)
    call check('the first plan sees the trained params', abs(sl_plan_scalar(plan, 0) - lfinal) &
        <= 1.0e-12_c_double * lfinal)
    call check_fd(plan, params(1), grads(1), 1)

    call sl_plan_bind(plan, x, wide(1, :), ierr)
    call check('a strided array is SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_plan_bind(plan, x, wide, ierr)
    call check('an array of the wrong size is SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    call sl_optim_bind(opt, x, wide, ierr)
    call check('sl_optim_bind of the wrong size is SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)

    ! A library error: adding (3, 4) to (5, 4) cannot broadcast.
    call sl_graph_create(ctx, g2, ierr)
    call expect_ok('sl_graph_create g2', ierr)
    bad = sl_graph_add(g2, sl_graph_input(g2, SL_F64, [3_c_int64_t, 4_c_int64_t], 'a'), &
        sl_graph_input(g2, SL_F64, [5_c_int64_t, 4_c_int64_t], 'b'))
    worse = sl_graph_tanh(g2, bad)
    call check('a mismatched add gives null nodes', .not. sl_associated(bad) &
        .and. .not. sl_associated(worse))
    call check('graph status is SL_ERR_SHAPE', sl_graph_status(g2) == SL_ERR_SHAPE)
    call check('the context message names the call', &
        index(sl_ctx_errmsg(sl_graph_ctx(g2)), 'sl_graph_add') == 1)
    call sl_graph_destroy(g2)
    call sl_optim_destroy(opt)
    call sl_plan_destroy(plan)
    call sl_graph_destroy(g)
    call check('handles nulled on destroy', .not. (sl_associated(g) .or. sl_associated(plan) &
        .or. sl_associated(opt)))
  end subroutine fit_mlp

  ! d loss / d param, element 1, from the plan (output 0 is the loss),
  ! against a central difference made by editing the param's storage.
  subroutine check_fd(plan, param, grad, ip)
    type(sl_plan), intent(in) :: plan
    type(sl_node), intent(in) :: param, grad
    integer, intent(in) :: ip
    real(c_double), parameter :: step = 1.0e-5_c_double
    real(c_double), pointer :: p(:)
    real(c_double), allocatable :: gv(:)
    real(c_double) :: save, lp, lm, fd, rel
    integer :: st
    character(16) :: label
    write (label, '(a, i0)') 'param ', ip
    allocate(gv(sl_node_numel(param)))
    call sl_plan_run(plan, st)
    call sl_plan_value(plan, grad, gv, st)
    call expect_ok('sl_plan_value ' // trim(label), st)
    call sl_node_data(param, p, st)
    call expect_ok('sl_node_data ' // trim(label), st)
    if (st /= SL_OK) return
    save = p(1)
    p(1) = save + step
    call sl_plan_run(plan, st)
    lp = sl_plan_scalar(plan, 0)
    p(1) = save - step
    call sl_plan_run(plan, st)
    lm = sl_plan_scalar(plan, 0)
    p(1) = save
    fd = (lp - lm) / (2 * step)
    rel = abs(gv(1) - fd) / max(abs(gv(1)), abs(fd), 1.0e-8_c_double)
    if (rel >= 1.0e-6_c_double) print '(a, es14.6, a, es14.6)', 'grad ', gv(1), ' fd ', fd
    call check('finite difference of the gradient, ' // trim(label), rel < 1.0e-6_c_double)
  end subroutine check_fd

  ! Complex data through a plan (C shape (2, 3) is the Fortran zc(3, 2)).
  subroutine complex_plan()
    type(sl_graph) :: g
    type(sl_node) :: z, zconj, zsum, w
    type(sl_plan) :: p
    complex(c_double_complex), target :: zc(3, 2)
    complex(c_double_complex) :: zout(3, 2)
    real(c_double), target :: buf(3, 2)
    real(c_double) :: wv(3, 2)
    integer :: st, j
    do j = 1, 3
      zc(j, 1) = cmplx(j, -j, c_double_complex)
      zc(j, 2) = cmplx(0.5_c_double * j, 2, c_double_complex)
    end do
    call sl_graph_create(ctx, g, st)
    z = sl_graph_input(g, SL_C128, sl_c_shape(shape(zc)), 'z')
    zconj = sl_graph_conj(g, z)
    zsum = sl_graph_sum(g, sl_graph_square(g, sl_graph_abs(g, z)))
    w = sl_graph_real(g, sl_graph_mul_complex_scalar(g, z, 0.0_c_double, 1.0_c_double))
    call sl_plan_create(g, [zconj, zsum, w], p, st)
    call expect_ok('sl_plan_create (complex): ' // sl_ctx_errmsg(ctx), st)
    call sl_plan_bind(p, z, zc, st)
    call expect_ok('sl_plan_bind (complex)', st)
    call sl_plan_run(p, st)
    call expect_ok('sl_plan_run (complex)', st)
    call sl_plan_output(p, 0, zout, st)
    call check('complex conj through a plan', st == SL_OK .and. all(zout == conjg(zc)))
    call check_close('complex sum |z|^2', sl_plan_scalar(p, 1), sum(abs(zc)**2), 1.0e-12_c_double)
    call sl_plan_value(p, w, wv, st)
    call check('Re(i z) = -Im z', st == SL_OK .and. all(wv == -aimag(zc)))
    call sl_plan_value(p, zconj, wv, st)
    call check('a real array for a complex node is SL_ERR_DTYPE', st == SL_ERR_DTYPE)
    call sl_plan_value(p, zconj, zout(1:2, :), st)
    call check('an array of the wrong size for a node is SL_ERR_SHAPE', st == SL_ERR_SHAPE)
    call sl_plan_output(p, 5, zout, st)
    call check('output 5 of 3 is SL_ERR_STATE', st == SL_ERR_STATE)
    call sl_plan_bind(p, z, buf, st)
    call check('a real array for a complex input is SL_ERR_DTYPE', st == SL_ERR_DTYPE)
    call sl_plan_destroy(p)
    call sl_graph_destroy(g)
  end subroutine complex_plan

  ! Tensors created and wrapped from Fortran.
  subroutine tensors()
    type(sl_tensor) :: t, v
    real(c_double), target :: buf(4, 5)
    complex(c_double_complex), target :: zb(2, 3)
    complex(c_double_complex) :: zv
    real(c_double) :: val
    integer :: st
    call sl_tensor_create(ctx, SL_F64, [5_c_int64_t, 4_c_int64_t], t, st)
    call expect_ok('sl_tensor_create', st)
    call sl_tensor_fill(t, 2.5_c_double, st)
    call expect_ok('sl_tensor_fill', st)
    call check('tensor rank, dims, numel, contiguous', sl_tensor_rank(t) == 2 .and. &
        sl_tensor_dim(t, 0) == 5 .and. sl_tensor_dim(t, 1) == 4 .and. sl_tensor_numel(t) == 20 &
        .and. sl_tensor_is_contiguous(t) .and. sl_tensor_stride(t, 0) == 4)
    call check('sl_tensor_ctx', sl_associated(sl_tensor_ctx(t)))
    call sl_tensor_transpose(t, 0, 1, v, st)
    call check('a transposed view is not contiguous', st == SL_OK .and. &
        .not. sl_tensor_is_contiguous(v) .and. sl_tensor_dim(v, 0) == 4)
    call sl_tensor_destroy(v)
    call sl_tensor_permute(t, [1, 0, 2], v, st)
    call check('a perm of the wrong length is SL_ERR_ARG', st == SL_ERR_ARG)
    call sl_tensor_destroy(t)
    buf = 0
    call sl_tensor_wrap(ctx, sl_c_shape(shape(buf)), buf, t, st)
    call expect_ok('sl_tensor_wrap', st)
    call sl_tensor_fill_uniform(t, seed, -1.0_c_double, 1.0_c_double, st)
    call expect_ok('sl_tensor_fill_uniform', st)
    ! Row-major element k of the tensor is element k of the Fortran array.
    call check('a wrapped tensor writes the Fortran array in place', &
        buf(1, 1) == -1 + 2 * sl_rng_uniform(seed, 0_c_int64_t) .and. &
        buf(2, 1) == -1 + 2 * sl_rng_uniform(seed, 1_c_int64_t) .and. &
        buf(1, 2) == -1 + 2 * sl_rng_uniform(seed, 4_c_int64_t))
    call sl_tensor_get(t, [1_c_int64_t, 2_c_int64_t], val, st)
    call check('C element [1][2] is Fortran buf(3, 2)', st == SL_OK .and. val == buf(3, 2))
    call sl_tensor_set(t, [4_c_int64_t, 3_c_int64_t], 7.0_c_double, st)
    call check('sl_tensor_set writes buf(4, 5)', st == SL_OK .and. buf(4, 5) == 7)
    call sl_tensor_get(t, [1_c_int64_t], val, st)
    call check('an index of the wrong length is SL_ERR_ARG', st == SL_ERR_ARG)
    call sl_tensor_get(t, [0_c_int64_t, 0_c_int64_t], zv, st)
    call check('a complex value from a real tensor is SL_ERR_DTYPE', st == SL_ERR_DTYPE)
    call sl_tensor_check_finite(t, st)
    call check('finite', st == SL_OK)
    buf(2, 2) = ieee_value(val, ieee_positive_inf)
    call sl_tensor_check_finite(t, st)
    call check('an Inf is SL_ERR_NONFINITE', st == SL_ERR_NONFINITE)
    call sl_tensor_wrap(ctx, [3_c_int64_t, 4_c_int64_t], buf, v, st)
    call check('a shape of another size than the array is SL_ERR_SHAPE', st == SL_ERR_SHAPE &
        .and. .not. sl_associated(v))
    call sl_tensor_destroy(t)
    call sl_tensor_wrap(ctx, sl_c_shape(shape(zb)), zb, t, st)
    call expect_ok('sl_tensor_wrap (complex)', st)
    call sl_tensor_fill(t, cmplx(1, -2, c_double_complex), st)
    call check('sl_tensor_fill (complex) in place', st == SL_OK .and. &
        all(zb == cmplx(1, -2, c_double_complex)))
    call sl_tensor_set(t, [2_c_int64_t, 1_c_int64_t], cmplx(3, 4, c_double_complex), st)
    call sl_tensor_get(t, [2_c_int64_t, 1_c_int64_t], zv, st)
    call check('sl_tensor_set/get (complex): C [2][1] is zb(2, 3)', st == SL_OK .and. &
        zv == cmplx(3, 4, c_double_complex) .and. zb(2, 3) == zv)
    call sl_tensor_destroy(t)
  end subroutine tensors

end program test_fortran_core
