! Fit y = sin(x) on 64 points of [-2, 2] with a 1 -> 16 -> 1 tanh MLP built
! from graph ops, trained with Adam through sl_optim_step; then check the
! gradients against central finite differences and that errors reach Fortran
! cleanly.  Ends with "N passed, N failed" and a nonzero exit on failure.
!
! Layout: the samples are C arrays of shape (64, 1), so the Fortran arrays are
! x(1, 64); the C weight of shape (1, 16) is the Fortran w1(16, 1), etc.
program fit
  use symlearn
  use, intrinsic :: iso_c_binding, only: c_sizeof
  implicit none

  integer, parameter :: npts = 64, nhid = 16, nsteps = 500
  real(c_double), parameter :: loss_tol = 1.0e-3_c_double, fd_rtol = 1.0e-6_c_double
  integer(c_int64_t), parameter :: seed = 20240601_c_int64_t

  type(sl_ctx) :: ctx
  type(sl_graph) :: g, g2
  type(sl_node) :: x, y, w1, b1, w2, b2, h, out, loss, params(4), grads(4), bad, worse
  type(sl_plan) :: plan
  type(sl_optim) :: opt
  type(sl_optim_opts) :: opts
  real(c_double), target :: xdata(1, npts), ydata(1, npts), wide(2, npts)
  real(c_double) :: w1init(nhid, 1), b1init(nhid), w2init(1, nhid), b2init(1)
  real(c_double) :: l, l0, lfinal
  integer :: i, ierr, npass, nfail
  integer(c_int64_t) :: k

  npass = 0
  nfail = 0
  print '(a, a)', 'libsymlearn ', sl_version_string()
  call check('version string is 1.0.0', sl_version_string() == '1.0.0')

  call sl_ctx_create(ctx, ierr)
  call expect_ok('sl_ctx_create', ierr)
  call sl_ctx_set_seed(ctx, seed, ierr)
  call expect_ok('sl_ctx_set_seed', ierr)

  ! Data and initial weights (the library's counter-based normal stream).
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

  ! The model: out = tanh(x W1 + b1) W2 + b2, loss = mean((out - y)^2).
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
      .and. sl_node_dim(w1, 1) == nhid .and. sl_node_rank(loss) == 0)
  call check('node names', sl_node_name(w1) == 'w1' .and. len(sl_node_op_name(loss)) > 0)

  ! Gradients at the initial point, against central differences.
  params = [w1, b1, w2, b2]
  call sl_graph_grad(g, loss, params, grads, ierr)
  call expect_ok('sl_graph_grad', ierr)
  call sl_plan_create(g, [loss, grads], plan, ierr)
  call expect_ok('sl_plan_create', ierr)
  call sl_plan_bind(plan, x, xdata, ierr)
  call expect_ok('sl_plan_bind x', ierr)
  call sl_plan_bind(plan, y, ydata, ierr)
  call expect_ok('sl_plan_bind y', ierr)
  call sl_plan_run(plan, ierr)
  call expect_ok('sl_plan_run', ierr)
  l0 = sl_plan_scalar(plan, 0)
  call check('initial loss is finite and positive', l0 > 0 .and. l0 < huge(l0))
  do i = 1, 4
    call check_fd(i)
  end do

  ! Train with Adam.
  call sl_optim_opts_init(opts, SL_OPTIM_ADAM)
  call check('opts size set', opts%size == c_sizeof(opts) .and. opts%kind == SL_OPTIM_ADAM)
  opts%lr = 0.02_c_double
  call sl_optim_create(g, loss, params, opts, opt, ierr)
  call expect_ok('sl_optim_create: ' // sl_ctx_errmsg(ctx), ierr)
  call sl_optim_bind(opt, x, xdata, ierr)
  call expect_ok('sl_optim_bind x', ierr)
  call sl_optim_bind(opt, y, ydata, ierr)
  call expect_ok('sl_optim_bind y', ierr)
  ! full-batch training on fixed data: what depends on x and y alone runs once
  call sl_plan_set_cache_data(sl_optim_plan(opt), .true., ierr)
  call expect_ok('sl_plan_set_cache_data', ierr)
  do i = 1, nsteps
    call sl_optim_step(opt, l, ierr)
    if (ierr /= SL_OK) exit
    if (mod(i, 100) == 0 .or. i == 1) print '(a, i5, a, es12.5)', 'step', i, '  loss', l
  end do
  call expect_ok('sl_optim_step: ' // sl_ctx_errmsg(ctx), ierr)
  call sl_optim_eval(opt, lfinal, ierr)
  call expect_ok('sl_optim_eval', ierr)
  print '(a, es12.5)', 'final loss', lfinal
  call check('final loss < 1e-3', lfinal < loss_tol)
  call check('steps counted', sl_optim_steps(opt) == nsteps)

  ! The trained parameters, and the gradient there, through the first plan.
  call sl_plan_run(plan, ierr)
  call expect_ok('sl_plan_run after training', ierr)
  call check('plan sees the trained params', abs(sl_plan_scalar(plan, 0) - lfinal) &
      <= 1.0e-12_c_double * lfinal)
  call check_fd(1)

  ! Fortran-side argument checks: a strided array and a wrong size.
  call sl_plan_bind(plan, x, wide(1, :), ierr)
  call check('strided array rejected (SL_ERR_ARG)', ierr == SL_ERR_ARG)
  call sl_plan_bind(plan, x, wide, ierr)
  call check('wrong-size array rejected (SL_ERR_SHAPE)', ierr == SL_ERR_SHAPE)

  ! A library error: adding (3, 4) to (5, 4) cannot broadcast.
  call sl_graph_create(ctx, g2, ierr)
  call expect_ok('sl_graph_create g2', ierr)
  bad = sl_graph_add(g2, sl_graph_input(g2, SL_F64, [3_c_int64_t, 4_c_int64_t], 'a'), &
      sl_graph_input(g2, SL_F64, [5_c_int64_t, 4_c_int64_t], 'b'))
  worse = sl_graph_tanh(g2, bad)
  print '(a, a)', 'expected error: ', sl_ctx_errmsg(ctx)
  call check('mismatched add gives a null node', .not. sl_associated(bad) &
      .and. .not. sl_associated(worse))
  call check('graph status is SL_ERR_SHAPE', sl_graph_status(g2) == SL_ERR_SHAPE)
  call check('context message is not empty', len(sl_ctx_errmsg(sl_graph_ctx(g2))) > 0)
  call check('status string', sl_status_string(SL_ERR_SHAPE) /= '' .and. &
      sl_status_string(sl_graph_status(g2)) == sl_status_string(SL_ERR_SHAPE))

  call sl_graph_destroy(g2)
  call check_complex_and_tensors()
  call sl_optim_destroy(opt)
  call sl_plan_destroy(plan)
  call sl_graph_destroy(g)
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check('handles nulled on destroy', .not. sl_associated(ctx) .and. .not. sl_associated(g))

  print '(i0, a, i0, a)', npass, ' passed, ', nfail, ' failed'
  if (nfail > 0) error stop 1

contains

  subroutine check(what, ok)
    character(*), intent(in) :: what
    logical, intent(in) :: ok
    if (ok) then
      npass = npass + 1
    else
      nfail = nfail + 1
      print '(a, a)', 'FAIL: ', what
    end if
  end subroutine check

  subroutine expect_ok(what, st)
    character(*), intent(in) :: what
    integer, intent(in) :: st
    if (st /= SL_OK) then
      print '(a, a, a, a)', 'FAIL: ', what, ': ', sl_status_string(st)
      print '(i0, a, i0, a)', npass, ' passed, ', nfail + 1, ' failed'
      error stop 1
    end if
  end subroutine expect_ok

  ! Complex data through a plan (C shape (2, 3) is the Fortran zc(3, 2)), and
  ! tensors created and wrapped from Fortran.
  subroutine check_complex_and_tensors()
    type(sl_graph) :: g3
    type(sl_node) :: z, zconj, zsum
    type(sl_plan) :: p3
    type(sl_tensor) :: t
    complex(c_double_complex), target :: zc(3, 2)
    complex(c_double_complex) :: zout(3, 2)
    real(c_double), target :: buf(4, 5)
    real(c_double) :: v
    integer :: st, j
    do j = 1, 3
      zc(j, 1) = cmplx(j, -j, c_double_complex)
      zc(j, 2) = cmplx(0.5_c_double * j, 2, c_double_complex)
    end do
    call sl_graph_create(ctx, g3, st)
    call expect_ok('sl_graph_create g3', st)
    z = sl_graph_input(g3, SL_C128, sl_c_shape(shape(zc)), 'z')
    zconj = sl_graph_conj(g3, z)
    zsum = sl_graph_sum(g3, sl_graph_square(g3, sl_graph_abs(g3, z)))
    call sl_plan_create(g3, [zconj, zsum], p3, st)
    call expect_ok('sl_plan_create (complex): ' // sl_ctx_errmsg(ctx), st)
    call sl_plan_bind(p3, z, zc, st)
    call expect_ok('sl_plan_bind (complex)', st)
    call sl_plan_run(p3, st)
    call expect_ok('sl_plan_run (complex)', st)
    call sl_plan_output(p3, 0, zout, st)
    call expect_ok('sl_plan_output (complex)', st)
    call check('complex conj through a plan', all(zout == conjg(zc)))
    call check('complex sum |z|^2', abs(sl_plan_scalar(p3, 1) - sum(abs(zc)**2)) &
        <= 1.0e-12_c_double * sum(abs(zc)**2))
    call sl_plan_bind(p3, z, buf, st)
    call check('real array for a complex input rejected (SL_ERR_DTYPE)', st == SL_ERR_DTYPE)
    call sl_plan_destroy(p3)
    call sl_graph_destroy(g3)

    call sl_tensor_create(ctx, SL_F64, [5_c_int64_t, 4_c_int64_t], t, st)
    call expect_ok('sl_tensor_create', st)
    call sl_tensor_fill(t, 2.5_c_double, st)
    call expect_ok('sl_tensor_fill', st)
    call check('tensor rank, dims, numel', sl_tensor_rank(t) == 2 .and. sl_tensor_dim(t, 0) == 5 &
        .and. sl_tensor_dim(t, 1) == 4 .and. sl_tensor_numel(t) == 20)
    call sl_tensor_destroy(t)
    buf = 0
    call sl_tensor_wrap(ctx, sl_c_shape(shape(buf)), buf, t, st)
    call expect_ok('sl_tensor_wrap', st)
    call sl_tensor_fill_uniform(t, seed, -1.0_c_double, 1.0_c_double, st)
    call expect_ok('sl_tensor_fill_uniform', st)
    ! Row-major element k of the tensor is element k of the Fortran array.
    call check('wrapped tensor writes the Fortran array in place', &
        buf(1, 1) == -1 + 2 * sl_rng_uniform(seed, 0_c_int64_t) .and. &
        buf(2, 1) == -1 + 2 * sl_rng_uniform(seed, 1_c_int64_t) .and. &
        buf(1, 2) == -1 + 2 * sl_rng_uniform(seed, 4_c_int64_t))
    call sl_tensor_get(t, [1_c_int64_t, 2_c_int64_t], v, st)
    call check('C element [1][2] is Fortran buf(3, 2)', st == SL_OK .and. v == buf(3, 2))
    call sl_tensor_destroy(t)
  end subroutine check_complex_and_tensors

  ! d loss / d params(ip), element 1, from the plan, against a central
  ! difference made by editing the param's storage in place.
  subroutine check_fd(ip)
    integer, intent(in) :: ip
    real(c_double), parameter :: step = 1.0e-5_c_double
    real(c_double), pointer :: p(:)
    real(c_double), allocatable :: gv(:)
    real(c_double) :: save, lp, lm, fd, rel
    integer :: st
    character(8) :: label
    write (label, '(a, i0)') 'param ', ip
    allocate(gv(sl_node_numel(params(ip))))
    call sl_plan_run(plan, st)
    call expect_ok('sl_plan_run', st)
    call sl_plan_value(plan, grads(ip), gv, st)
    call expect_ok('sl_plan_value', st)
    call sl_node_data(params(ip), p, st)
    call expect_ok('sl_node_data', st)
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
    print '(a, a, es14.6, a, es14.6, a, es9.2)', trim(label), ': grad', gv(1), '  fd', fd, &
        '  rel', rel
    call check('finite difference ' // trim(label), rel < fd_rtol)
  end subroutine check_fd

end program fit
