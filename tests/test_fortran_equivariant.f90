! Fortran interface, equivariant area: the SF-T7(a) construction (a 1x1
! periodic conv on k_t, global average = n) on sampled flux configurations
! in the x(nx, nt, 4, B) layout, group tables, a short training run of the
! regression network with its summary and test MSE, weights in and out, and
! errors reaching ierr.
program test_fortran_equivariant
  use symlearn
  use checks
  implicit none

  integer(c_int64_t), parameter :: nt = 8, nx = 4, nb = 48
  type(sl_ctx) :: ctx
  real(c_double) :: x(nx, nt, 4, nb), y(2, nb)
  call sl_ctx_create(ctx)
  call sample()
  call layers()
  call network()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine sample()
    type(sl_flux) :: f
    integer :: i, st
    call sl_flux_create(ctx, nt, nx, 0.1d0, 1d0, 1.05d0, f, st)
    call expect_ok('sl_flux_create', st)
    call sl_flux_sweep(f, 20_c_int64_t, 4_c_int64_t, SL_FLUX_L_AUTO, 3_c_int64_t, st)
    do i = 1, int(nb)
      call sl_flux_sweep(f, 3_c_int64_t, 4_c_int64_t, SL_FLUX_L_AUTO, 3_c_int64_t, st)
      call sl_flux_export(f, 4 * nt * nx, x(:, :, :, i), st)
      call sl_flux_density(f, y(1, i), st)
      call sl_flux_phi2(f, y(2, i), st)
    end do
    call expect_ok('sampling', st)
    call sl_flux_destroy(f)
  end subroutine sample

  subroutine layers()
    type(sl_graph) :: g
    type(sl_node) :: xi, w, n
    type(sl_plan) :: p
    real(c_double) :: w1(1, 1, 4, 1), got(nb)
    integer :: st
    call sl_graph_create(ctx, g)
    xi = sl_graph_input(g, SL_F64, [nb, 4_c_int64_t, nt, nx])
    w1 = 0
    w1(1, 1, 1, 1) = 1   ! C w[0][0][0][0]: weight 1 on k_t
    w = sl_graph_constant(g, [1_c_int64_t, 4_c_int64_t, 1_c_int64_t, 1_c_int64_t], w1)
    n = sl_graph_global_avg_pool(g, sl_graph_periodic_conv(g, xi, w), 2)
    call sl_plan_create(g, [n], p, st)
    call expect_ok('plan', st)
    call sl_plan_bind(p, xi, x, st)
    call sl_plan_run(p, st)
    call sl_plan_output(p, 0, got, st)
    call expect_ok('run', st)
    call check('SF-T7(a): GAP(conv k_t) = n', maxval(abs(got - y(1, :))) <= 1d-15)
    call sl_plan_destroy(p)
    n = sl_graph_global_max_pool(g, xi, 7)
    call check('bad nspatial: no node', .not. sl_associated(n))
    call check('message names the call', index(sl_ctx_errmsg(ctx), 'sl_graph_global_max_pool') > 0)
    call sl_graph_destroy(g)
    call check('p4m order 8', sl_eq_group_order(SL_EQ_P4M) == 8)
    call check('r r^-1 = e', sl_eq_group_mul(SL_EQ_P4, 1, sl_eq_group_inv(SL_EQ_P4, 1)) == 0)
  end subroutine layers

  subroutine network()
    type(sl_eqcnn_opts) :: o
    type(sl_eqcnn_train_opts) :: t
    type(sl_eqcnn) :: net
    real(c_double), allocatable :: wts(:)
    real(c_double) :: mse(2), bv, pred(2, nb)
    integer(c_int) :: ran, best
    integer :: st
    call sl_eqcnn_opts_init(o)
    o%channels(1) = 4
    o%channels(2) = 4
    call sl_eqcnn_create(ctx, o, net, st)
    call expect_ok('sl_eqcnn_create', st)
    allocate(wts(sl_eqcnn_nparams(net)))
    call check('weights', size(wts) == 4 * 4 * 9 + 4 + 4 * 4 * 9 + 4 + 2 * 4 + 2)
    call sl_eqcnn_get_weights(net, wts, st)
    call expect_ok('get weights', st)
    call sl_eqcnn_train_opts_init(t)
    t%max_epochs = 5
    t%min_epochs = 1
    t%batch = 8
    call sl_eqcnn_train(net, 40_c_int64_t, nt, nx, x, y, 8_c_int64_t, x(:, :, :, 41:), y(:, 41:), t, ran, best, &
                        bv, st)
    call expect_ok('sl_eqcnn_train', st)
    call check('5 epochs, a best one', ran == 5 .and. best >= 1 .and. best <= 5 .and. bv >= 0)
    call sl_eqcnn_test(net, 8_c_int64_t, nt, nx, x(:, :, :, 41:), y(:, 41:), mse, st)
    call expect_ok('sl_eqcnn_test', st)
    call check_close('test MSE = best validation MSE', (mse(1) + mse(2)) / 2, bv, 1d-12)
    call sl_eqcnn_predict(net, nb, nt, nx, x, pred, st)
    call expect_ok('sl_eqcnn_predict', st)
    call sl_eqcnn_set_weights(net, wts(1:10), st)
    call check('wrong weight count: SL_ERR_SHAPE', st == SL_ERR_SHAPE)
    call sl_eqcnn_set_weights(net, wts, st)
    call expect_ok('set weights', st)
    call sl_eqcnn_destroy(net)
    o%kind = 7
    call sl_eqcnn_create(ctx, o, net, st)
    call check('bad kind: SL_ERR_ARG', st == SL_ERR_ARG)
    call check('message names the call', index(sl_ctx_errmsg(ctx), 'sl_eqcnn_create') > 0)
  end subroutine network

end program test_fortran_equivariant
