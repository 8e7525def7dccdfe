! Fortran interface, array arguments: the rank/type families of the generated
! module (sl_plan_bind, sl_plan_output, sl_plan_value, sl_tensor_wrap,
! sl_graph_param, sl_graph_constant, sl_optim_bind, sl_node_data) at ranks 0,
! 1, 2, 3 and 8 for real(c_double) and complex(c_double_complex) arrays, and
! the generated argument forms of the graph ops (sizes taken from arrays,
! optional scalars and logicals, arrays of nodes, optional strings).
program test_fortran_arrays
  use symlearn
  use checks
  implicit none

  type(sl_ctx) :: ctx
  real(c_double), target :: rb(16), rout(16), rval(16)
  complex(c_double_complex), target :: zb(16), zout(16), zval(16)
  integer :: i

  call sl_ctx_create(ctx)
  do i = 1, 16
    rb(i) = 0.25_c_double * i - 1
    zb(i) = cmplx(rb(i), 1 - 0.5_c_double * i, c_double_complex)
  end do
  call plans_f64()
  call plans_c128()
  call leaves_and_tensors()
  call optimiser_binds()
  call ops()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  ! A graph y = op(x) for an input x of C shape cshape, planned.
  subroutine setup(dtype, cshape, g, x, y, p)
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: cshape(:)
    type(sl_graph), intent(out) :: g
    type(sl_node), intent(out) :: x, y
    type(sl_plan), intent(out) :: p
    integer :: st
    call sl_graph_create(ctx, g)
    x = sl_graph_input(g, dtype, cshape)
    if (dtype == SL_F64) then
      y = sl_graph_mul_scalar(g, x, 2.0_c_double)
    else
      y = sl_graph_mul_complex_scalar(g, x, 0.0_c_double, 1.0_c_double)
    end if
    call sl_plan_create(g, [y], p, st)
    call expect_ok('sl_plan_create: ' // sl_ctx_errmsg(ctx), st)
  end subroutine setup

  ! bind, run, output and value, then compare rout and rval with 2 x.
  subroutine finish(what, g, p, st, n)
    character(*), intent(in) :: what
    type(sl_graph), intent(inout) :: g
    type(sl_plan), intent(inout) :: p
    integer, intent(in) :: st(3), n
    call check(what // ': bind, output, value return SL_OK', all(st == SL_OK))
    call check(what // ': output = 2 x', all(rout(1:n) == 2 * rb(1:n)))
    call check(what // ': value = output', all(rval(1:n) == rout(1:n)))
    call sl_plan_destroy(p)
    call sl_graph_destroy(g)
  end subroutine finish

  subroutine zfinish(what, g, p, st, n)
    character(*), intent(in) :: what
    type(sl_graph), intent(inout) :: g
    type(sl_plan), intent(inout) :: p
    integer, intent(in) :: st(3), n
    complex(c_double_complex), parameter :: iu = (0.0_c_double, 1.0_c_double)
    call check(what // ': bind, output, value return SL_OK', all(st == SL_OK))
    call check(what // ': output = i x', all(zout(1:n) == iu * zb(1:n)))
    call check(what // ': value = output', all(zval(1:n) == zout(1:n)))
    call sl_plan_destroy(p)
    call sl_graph_destroy(g)
  end subroutine zfinish

  subroutine plans_f64()
    type(sl_graph) :: g
    type(sl_node) :: x, y
    type(sl_plan) :: p
    real(c_double), pointer :: x0, o0, v0, x1(:), o1(:), v1(:), x2(:, :), o2(:, :), v2(:, :)
    real(c_double), pointer :: x3(:, :, :), o3(:, :, :), v3(:, :, :)
    real(c_double), pointer :: x8(:, :, :, :, :, :, :, :), o8(:, :, :, :, :, :, :, :), &
        v8(:, :, :, :, :, :, :, :)
    integer :: st(3)
    rout = 0
    rval = 0
    x0 => rb(1)
    o0 => rout(1)
    v0 => rval(1)
    call setup(SL_F64, [integer(c_int64_t) ::], g, x, y, p)
    call sl_plan_bind(p, x, x0, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o0, st(2))
    call sl_plan_value(p, y, v0, st(3))
    call finish('f64 rank 0', g, p, st, 1)

    x1(1:5) => rb(1:5)
    o1(1:5) => rout(1:5)
    v1(1:5) => rval(1:5)
    call setup(SL_F64, sl_c_shape(shape(x1)), g, x, y, p)
    call sl_plan_bind(p, x, x1, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o1, st(2))
    call sl_plan_value(p, y, v1, st(3))
    call finish('f64 rank 1', g, p, st, 5)

    x2(1:3, 1:2) => rb(1:6)
    o2(1:3, 1:2) => rout(1:6)
    v2(1:3, 1:2) => rval(1:6)
    call setup(SL_F64, sl_c_shape(shape(x2)), g, x, y, p)
    call sl_plan_bind(p, x, x2, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o2, st(2))
    call sl_plan_value(p, y, v2, st(3))
    call finish('f64 rank 2', g, p, st, 6)

    x3(1:2, 1:3, 1:2) => rb(1:12)
    o3(1:2, 1:3, 1:2) => rout(1:12)
    v3(1:2, 1:3, 1:2) => rval(1:12)
    call setup(SL_F64, sl_c_shape(shape(x3)), g, x, y, p)
    call sl_plan_bind(p, x, x3, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o3, st(2))
    call sl_plan_value(p, y, v3, st(3))
    call finish('f64 rank 3', g, p, st, 12)

    x8(1:2, 1:1, 1:2, 1:1, 1:1, 1:2, 1:1, 1:2) => rb(1:16)
    o8(1:2, 1:1, 1:2, 1:1, 1:1, 1:2, 1:1, 1:2) => rout(1:16)
    v8(1:2, 1:1, 1:2, 1:1, 1:1, 1:2, 1:1, 1:2) => rval(1:16)
    call setup(SL_F64, sl_c_shape(shape(x8)), g, x, y, p)
    call check('rank 8 node', sl_node_rank(x) == 8 .and. sl_node_dim(x, 0) == 2 .and. &
        sl_node_dim(x, 7) == 2 .and. sl_node_numel(x) == 16)
    call sl_plan_bind(p, x, x8, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o8, st(2))
    call sl_plan_value(p, y, v8, st(3))
    call finish('f64 rank 8', g, p, st, 16)
  end subroutine plans_f64

  subroutine plans_c128()
    type(sl_graph) :: g
    type(sl_node) :: x, y
    type(sl_plan) :: p
    complex(c_double_complex), pointer :: x0, o0, v0, x1(:), o1(:), v1(:), x2(:, :), o2(:, :), &
        v2(:, :)
    complex(c_double_complex), pointer :: x8(:, :, :, :, :, :, :, :), &
        o8(:, :, :, :, :, :, :, :), v8(:, :, :, :, :, :, :, :)
    integer :: st(3)
    zout = 0
    zval = 0
    x0 => zb(1)
    o0 => zout(1)
    v0 => zval(1)
    call setup(SL_C128, [integer(c_int64_t) ::], g, x, y, p)
    call sl_plan_bind(p, x, x0, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o0, st(2))
    call sl_plan_value(p, y, v0, st(3))
    call zfinish('c128 rank 0', g, p, st, 1)

    x1(1:7) => zb(1:7)
    o1(1:7) => zout(1:7)
    v1(1:7) => zval(1:7)
    call setup(SL_C128, sl_c_shape(shape(x1)), g, x, y, p)
    call sl_plan_bind(p, x, x1, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o1, st(2))
    call sl_plan_value(p, y, v1, st(3))
    call zfinish('c128 rank 1', g, p, st, 7)

    x2(1:2, 1:4) => zb(1:8)
    o2(1:2, 1:4) => zout(1:8)
    v2(1:2, 1:4) => zval(1:8)
    call setup(SL_C128, sl_c_shape(shape(x2)), g, x, y, p)
    call sl_plan_bind(p, x, x2, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o2, st(2))
    call sl_plan_value(p, y, v2, st(3))
    call zfinish('c128 rank 2', g, p, st, 8)

    x8(1:1, 1:2, 1:1, 1:2, 1:2, 1:1, 1:2, 1:1) => zb(1:16)
    o8(1:1, 1:2, 1:1, 1:2, 1:2, 1:1, 1:2, 1:1) => zout(1:16)
    v8(1:1, 1:2, 1:1, 1:2, 1:2, 1:1, 1:2, 1:1) => zval(1:16)
    call setup(SL_C128, sl_c_shape(shape(x8)), g, x, y, p)
    call sl_plan_bind(p, x, x8, st(1))
    call sl_plan_run(p)
    call sl_plan_output(p, 0, o8, st(2))
    call sl_plan_value(p, y, v8, st(3))
    call zfinish('c128 rank 8', g, p, st, 16)
  end subroutine plans_c128

  ! sl_graph_param and sl_graph_constant copy their array; sl_node_data
  ! shows the copy; sl_tensor_wrap writes the array in place.
  subroutine leaves_and_tensors()
    type(sl_graph) :: g
    type(sl_node) :: n0, n1, n2, n8, z0, z2, z8, zero, wrong
    type(sl_tensor) :: t
    real(c_double), pointer :: d(:), r2(:, :), r8(:, :, :, :, :, :, :, :)
    complex(c_double_complex), pointer :: zd(:), c2(:, :), c8(:, :, :, :, :, :, :, :)
    real(c_double), target :: tb(16)
    complex(c_double_complex), target :: tz(16)
    integer :: st
    call sl_graph_create(ctx, g)
    r2(1:4, 1:3) => rb(1:12)
    r8(1:2, 1:2, 1:2, 1:2, 1:1, 1:1, 1:1, 1:1) => rb(1:16)
    c2(1:3, 1:2) => zb(1:6)
    c8(1:2, 1:1, 1:2, 1:1, 1:2, 1:1, 1:2, 1:1) => zb(1:16)
    n0 = sl_graph_param(g, [integer(c_int64_t) ::], rb(3), 'p0')
    n1 = sl_graph_constant(g, [5_c_int64_t], rb(1:5))
    n2 = sl_graph_param(g, sl_c_shape(shape(r2)), r2)
    n8 = sl_graph_constant(g, sl_c_shape(shape(r8)), r8)
    z0 = sl_graph_constant(g, [integer(c_int64_t) ::], zb(2))
    z2 = sl_graph_param(g, sl_c_shape(shape(c2)), c2, 'z2')
    z8 = sl_graph_param(g, sl_c_shape(shape(c8)), c8)
    zero = sl_graph_param(g, SL_C128, [2_c_int64_t, 2_c_int64_t], 'zero')
    call check('leaves built: ' // sl_ctx_errmsg(ctx), sl_graph_status(g) == SL_OK)
    call check('leaf dtypes and ranks', sl_node_dtype(n8) == SL_F64 .and. sl_node_rank(n8) == 8 &
        .and. sl_node_dtype(z8) == SL_C128 .and. sl_node_rank(z2) == 2 .and. sl_node_rank(z0) == 0)
    call check('param names', sl_node_name(n0) == 'p0' .and. sl_node_name(z2) == 'z2' .and. &
        sl_node_name(zero) == 'zero')
    call sl_node_data(n0, d, st)
    call check('f64 rank 0 param holds its value', st == SL_OK .and. size(d) == 1 .and. d(1) == rb(3))
    call sl_node_data(n1, d, st)
    call check('f64 rank 1 constant', st == SL_OK .and. all(d == rb(1:5)))
    call sl_node_data(n2, d, st)
    call check('f64 rank 2 param (a copy)', st == SL_OK .and. all(d == rb(1:12)) .and. &
        .not. associated(d, rb(1:12)))
    call sl_node_data(n8, d, st)
    call check('f64 rank 8 constant', st == SL_OK .and. all(d == rb(1:16)))
    call sl_node_data(z0, zd, st)
    call check('c128 rank 0 constant', st == SL_OK .and. zd(1) == zb(2))
    call sl_node_data(z2, zd, st)
    call check('c128 rank 2 param', st == SL_OK .and. all(zd == zb(1:6)))
    call sl_node_data(z8, zd, st)
    call check('c128 rank 8 param', st == SL_OK .and. all(zd == zb(1:16)))
    call sl_node_data(zero, zd, st)
    call check('dtype-and-shape param is zero', st == SL_OK .and. size(zd) == 4 .and. all(zd == 0))
    call sl_node_data(z2, d, st)
    call check('a real pointer to complex data is SL_ERR_DTYPE', st == SL_ERR_DTYPE .and. &
        .not. associated(d))
    call sl_node_data(sl_graph_add(g, n1, n1), d, st)
    call check('sl_node_data of an op is SL_ERR_ARG', st == SL_ERR_ARG)
    wrong = sl_graph_constant(g, [3_c_int64_t], rb(1:5))
    call check('data of the wrong size: null node, SL_ERR_SHAPE in the graph', &
        .not. sl_associated(wrong) .and. sl_graph_status(g) == SL_ERR_SHAPE)
    call sl_graph_destroy(g)

    tb = 0
    call sl_tensor_wrap(ctx, [integer(c_int64_t) ::], tb(1), t, st)
    call sl_tensor_fill(t, 3.0_c_double)
    call check('sl_tensor_wrap f64 rank 0', st == SL_OK .and. sl_tensor_rank(t) == 0 .and. &
        tb(1) == 3 .and. tb(2) == 0)
    call sl_tensor_destroy(t)
    call sl_tensor_wrap(ctx, [16_c_int64_t], tb, t, st)
    call sl_tensor_fill(t, 1.0_c_double)
    call check('sl_tensor_wrap f64 rank 1', st == SL_OK .and. all(tb == 1))
    call sl_tensor_destroy(t)
    r8(1:2, 1:1, 1:2, 1:1, 1:2, 1:1, 1:2, 1:1) => tb
    call sl_tensor_wrap(ctx, sl_c_shape(shape(r8)), r8, t, st)
    call sl_tensor_fill(t, 5.0_c_double)
    call check('sl_tensor_wrap f64 rank 8', st == SL_OK .and. sl_tensor_rank(t) == 8 .and. &
        all(tb == 5))
    call sl_tensor_destroy(t)
    tz = 0
    call sl_tensor_wrap(ctx, [integer(c_int64_t) ::], tz(16), t, st)
    call sl_tensor_fill(t, (1.0_c_double, 2.0_c_double))
    call check('sl_tensor_wrap c128 rank 0', st == SL_OK .and. tz(16) == (1.0_c_double, 2.0_c_double))
    call sl_tensor_destroy(t)
    c2(1:4, 1:4) => tz
    call sl_tensor_wrap(ctx, sl_c_shape(shape(c2)), c2, t, st)
    call sl_tensor_fill_normal(t, 5_c_int64_t, 0.0_c_double, 1.0_c_double)
    call check('sl_tensor_wrap c128 rank 2: (re, im) streams in place', st == SL_OK .and. &
        real(tz(1)) == sl_rng_normal(5_c_int64_t, 0_c_int64_t) .and. &
        aimag(tz(1)) == sl_rng_normal(5_c_int64_t, 1_c_int64_t))
    call sl_tensor_destroy(t)
    c8(1:1, 1:2, 1:2, 1:1, 1:2, 1:1, 1:2, 1:1) => tz
    call sl_tensor_wrap(ctx, sl_c_shape(shape(c8)), c8, t, st)
    call check('sl_tensor_wrap c128 rank 8', st == SL_OK .and. sl_tensor_numel(t) == 16)
    call sl_tensor_destroy(t)
  end subroutine leaves_and_tensors

  ! sl_optim_bind on real and complex inputs: loss = w * sum(|x|^2).
  subroutine optimiser_binds()
    type(sl_graph) :: g
    type(sl_node) :: xr, xz, w, loss
    type(sl_optim) :: o
    type(sl_optim_opts) :: opts
    real(c_double), pointer :: r1(:)
    complex(c_double_complex), pointer :: z2(:, :), z8(:, :, :, :, :, :, :, :)
    real(c_double) :: l
    integer :: st
    r1(1:4) => rb(1:4)
    z2(1:3, 1:2) => zb(1:6)
    call sl_graph_create(ctx, g)
    xr = sl_graph_input(g, SL_F64, [4_c_int64_t], 'xr')
    xz = sl_graph_input(g, SL_C128, [2_c_int64_t, 3_c_int64_t], 'xz')
    w = sl_graph_param(g, [integer(c_int64_t) ::], 1.0_c_double, 'w')
    loss = sl_graph_mul(g, w, sl_graph_add(g, sl_graph_sum(g, sl_graph_square(g, xr)), &
        sl_graph_sum(g, sl_graph_square(g, sl_graph_abs(g, xz)))))
    call sl_optim_opts_init(opts, SL_OPTIM_SGD)
    call sl_optim_create(g, loss, [sl_node ::], opts, o, st)
    call expect_ok('sl_optim_create over every param: ' // sl_ctx_errmsg(ctx), st)
    call sl_optim_bind(o, xr, r1, st)
    call check('sl_optim_bind f64 rank 1', st == SL_OK)
    call sl_optim_bind(o, xz, z2, st)
    call check('sl_optim_bind c128 rank 2', st == SL_OK)
    call sl_optim_eval(o, l, st)
    call check_close('loss of the bound data', l, sum(rb(1:4)**2) + sum(abs(zb(1:6))**2), &
        1.0e-14_c_double)
    z8(1:1, 1:1, 1:2, 1:1, 1:3, 1:1, 1:1, 1:1) => zb(1:6)
    call sl_optim_bind(o, xz, z8, st)
    call check('sl_optim_bind c128 rank 8', st == SL_OK)
    call sl_optim_bind(o, xz, r1, st)
    call check('sl_optim_bind of a real array to a complex input: SL_ERR_DTYPE', st == SL_ERR_DTYPE)
    call sl_optim_destroy(o)
    call sl_graph_destroy(g)
  end subroutine optimiser_binds

  ! The generated argument forms: shape[rank], index[count], xs[n],
  ! axes[naxes] with keepdims?, step?=1, im?=0, name?.
  subroutine ops()
    type(sl_graph) :: g
    type(sl_node) :: x, s1, s2, ga, ca, sk, sn, fu, fz, ey, re, br, ro, pe, mx
    type(sl_plan) :: p
    real(c_double), target :: xv(4, 3)
    real(c_double) :: v1(2), v2(4), vg(2, 3), vc(4, 6), vk(1, 3), vn(4), vr(12), vb(4, 3, 2)
    real(c_double) :: vo(4, 3), vp(3, 4), vm(4, 4)
    complex(c_double_complex) :: vz(2)
    integer :: st, i
    xv = reshape([(real(i, c_double), i = 1, 12)], [4, 3])
    ! C x is (3, 4): x[i][j] = xv(j+1, i+1) = 4 i + j + 1
    call sl_graph_create(ctx, g)
    x = sl_graph_input(g, SL_F64, sl_c_shape(shape(xv)))
    s1 = sl_graph_slice(g, sl_graph_slice(g, x, 0, 1_c_int64_t, 2_c_int64_t), 1, 0_c_int64_t, &
        4_c_int64_t, 2_c_int64_t)
    s2 = sl_graph_reshape(g, sl_graph_slice(g, x, 0, 2_c_int64_t, 3_c_int64_t), [4_c_int64_t])
    ga = sl_graph_gather(g, x, 1, [3_c_int64_t, 0_c_int64_t])
    ca = sl_graph_concat(g, [x, x], 0)
    sk = sl_graph_sum_axes(g, x, [1], keepdims=.true.)
    sn = sl_graph_mean_axes(g, x, [0])
    fu = sl_graph_full(g, SL_F64, [2_c_int64_t], 1.5_c_double)
    fz = sl_graph_full(g, SL_C128, [2_c_int64_t], 1.0_c_double, -1.0_c_double)
    ey = sl_graph_eye(g, SL_F64, 4_c_int64_t)
    re = sl_graph_reshape(g, x, [12_c_int64_t])
    br = sl_graph_broadcast(g, x, [2_c_int64_t, 3_c_int64_t, 4_c_int64_t])
    ro = sl_graph_roll(g, x, 1, 1_c_int64_t)
    pe = sl_graph_permute(g, x, [1, 0])
    mx = sl_graph_matmul_ex(g, x, SL_OP_T, x, SL_OP_N)
    call check('ops built: ' // sl_ctx_errmsg(ctx), sl_graph_status(g) == SL_OK)
    call sl_plan_create(g, [s1, s2, ga, ca, sk, sn, fu, fz, ey, re, br, ro, pe, mx], p, st)
    call expect_ok('sl_plan_create (ops): ' // sl_ctx_errmsg(ctx), st)
    call sl_plan_bind(p, x, xv)
    call sl_plan_run(p, st)
    call expect_ok('sl_plan_run (ops)', st)
    call sl_plan_output(p, 0, v1)
    call check('slice with step 2: x[1][0], x[1][2]', all(v1 == [5, 7]))
    call sl_plan_output(p, 1, v2)
    call check('slice with the default step 1, reshape', all(v2 == [9, 10, 11, 12]))
    call sl_plan_output(p, 2, vg)
    call check('gather along axis 1 (index[count])', all(vg(1, :) == [4, 8, 12]) .and. &
        all(vg(2, :) == [1, 5, 9]))
    call sl_plan_output(p, 3, vc)
    call check('concat of two nodes (xs[n])', all(vc(:, 1:3) == xv) .and. all(vc(:, 4:6) == xv))
    call sl_plan_output(p, 4, vk)
    call check('sum over axis 1 with keepdims', all(vk(1, :) == [10, 26, 42]))
    call sl_plan_output(p, 5, vn)
    call check('mean over axis 0, keepdims absent', sl_node_rank(sn) == 1 .and. &
        all(vn == [5, 6, 7, 8]))
    call sl_plan_output(p, 6, v1)
    call check('full, im absent', all(v1 == 1.5_c_double))
    call sl_plan_output(p, 7, vz)
    call check('full, complex', all(vz == (1.0_c_double, -1.0_c_double)))
    call sl_plan_output(p, 8, vm)
    call check('eye', vm(1, 1) == 1 .and. vm(2, 1) == 0 .and. sum(vm) == 4)
    call sl_plan_output(p, 9, vr)
    call check('reshape (shape[rank])', all(vr == [(real(i, c_double), i = 1, 12)]))
    call sl_plan_output(p, 10, vb)
    call check('broadcast', all(vb(:, :, 1) == xv) .and. all(vb(:, :, 2) == xv))
    call sl_plan_output(p, 11, vo)
    call check('roll along axis 1 by 1', all(vo(1, :) == xv(4, :)) .and. all(vo(2:4, :) == xv(1:3, :)))
    call sl_plan_output(p, 12, vp)
    call check('permute = transpose of a matrix', all(vp == transpose(xv)))
    call sl_plan_output(p, 13, vm)
    call check('matmul_ex: x^T x', all(vm == matmul(xv, transpose(xv))))
    call sl_plan_destroy(p)
    call sl_graph_destroy(g)
  end subroutine ops

end program test_fortran_arrays
