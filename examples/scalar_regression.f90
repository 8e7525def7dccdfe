! Regression of observables from flux configurations (the Fortran version
! of examples/scalar_regression.c, smaller): the translation-equivariant CNN
! of SF-T8 trained at mu = 1.05 on 60 x 4 (m = 0.1, lambda = 1) to predict
! (n, |phi|^2) per configuration, tested at mu = 0.91 and on 125 x 8, and a
! dense network of about the same size (960 -> 3 -> 2) at mu = 0.91.
! Configurations are x(nx, nt, 4, n): the arrays of sl_flux_export stacked.
! Stops with a non-zero status when MSE(n) at mu = 1.05 exceeds 1e-3 or the
! CNN is not at least twice as good as the dense network at mu = 0.91.
program scalar_regression
  use symlearn
  implicit none

  integer(c_int64_t), parameter :: ntr = 240, nva = 30, nte = 120
  type(sl_ctx) :: ctx
  type(sl_eqcnn_opts) :: o
  type(sl_eqcnn_train_opts) :: t
  type(sl_eqcnn) :: cnn, mlp
  real(c_double), allocatable :: x(:, :, :, :), y(:, :), xv(:, :, :, :), yv(:, :), x0(:, :, :, :), y0(:, :), &
                                 x1(:, :, :, :), y1(:, :), xb(:, :, :, :), yb(:, :)
  real(c_double) :: m1(2), m0(2), d0(2), mb(2), bv
  integer(c_int) :: ran, best
  integer :: st

  call sl_ctx_create(ctx)
  call sample(60_c_int64_t, 4_c_int64_t, 1.05d0, ntr, 1_c_int64_t, x, y)
  call sample(60_c_int64_t, 4_c_int64_t, 1.05d0, nva, 2_c_int64_t, xv, yv)
  call sample(60_c_int64_t, 4_c_int64_t, 1.05d0, nte, 3_c_int64_t, x1, y1)
  call sample(60_c_int64_t, 4_c_int64_t, 0.91d0, nte, 4_c_int64_t, x0, y0)
  call sample(125_c_int64_t, 8_c_int64_t, 1.05d0, 60_c_int64_t, 5_c_int64_t, xb, yb)

  call sl_eqcnn_train_opts_init(t)
  t%max_epochs = 16
  t%min_epochs = 16
  t%batch = 40
  call sl_eqcnn_opts_init(o)           ! conv 4->16 k3, tanh, conv 16->16 k3, tanh, mean, linear 16->2
  call sl_eqcnn_create(ctx, o, cnn, st)
  call sl_eqcnn_train(cnn, ntr, 60_c_int64_t, 4_c_int64_t, x, y, nva, xv, yv, t, ran, best, bv, st)
  call need(st, 'train the CNN')
  print '(a, i0, a, i0, a, es10.3)', 'CNN: ', sl_eqcnn_nparams(cnn), ' weights, best epoch ', best, &
        ', validation MSE ', bv
  o%kind = SL_EQCNN_DENSE
  o%nconv = 1
  o%channels(1) = 3
  o%nt = 60
  o%nx = 4
  call sl_eqcnn_create(ctx, o, mlp, st)
  call sl_eqcnn_train(mlp, ntr, 60_c_int64_t, 4_c_int64_t, x, y, nva, xv, yv, t, ran, best, bv, st)
  call need(st, 'train the dense network')
  print '(a, i0, a, i0, a, es10.3)', 'dense: ', sl_eqcnn_nparams(mlp), ' weights, best epoch ', best, &
        ', validation MSE ', bv

  call sl_eqcnn_test(cnn, nte, 60_c_int64_t, 4_c_int64_t, x1, y1, m1, st)
  call sl_eqcnn_test(cnn, nte, 60_c_int64_t, 4_c_int64_t, x0, y0, m0, st)
  call sl_eqcnn_test(mlp, nte, 60_c_int64_t, 4_c_int64_t, x0, y0, d0, st)
  call sl_eqcnn_test(cnn, 60_c_int64_t, 125_c_int64_t, 8_c_int64_t, xb, yb, mb, st)
  call need(st, 'test')
  print '(a, es10.3, a, es10.3)', '60x4  mu = 1.05: CNN MSE(n) ', m1(1), '  MSE(|phi|^2) ', m1(2)
  print '(a, es10.3, a, es10.3)', '60x4  mu = 0.91: CNN MSE(n) ', m0(1), '  dense ', d0(1)
  print '(a, es10.3, a)', '125x8 mu = 1.05: CNN MSE(n) ', mb(1), '  (trained on 60x4)'
  call sl_eqcnn_destroy(cnn)
  call sl_eqcnn_destroy(mlp)
  call sl_ctx_destroy(ctx)
  if (m1(1) > 1d-3 .or. m0(1) > 0.5d0 * d0(1)) then
    print '(a)', 'scalar_regression: SF-T8 criteria not met'
    error stop 1
  end if
  print '(a)', 'scalar_regression: SF-T8 criteria met'

contains

  ! n configurations and targets from 4 chains, every 10th sweep
  subroutine sample(nt, nx, mu, n, seed, xs, ys)
    integer(c_int64_t), intent(in) :: nt, nx, n, seed
    real(c_double), intent(in) :: mu
    real(c_double), allocatable, intent(out) :: xs(:, :, :, :), ys(:, :)
    type(sl_flux) :: f
    integer(c_int64_t) :: i, c, s
    integer :: st2
    allocate(xs(nx, nt, 4, n), ys(2, n))
    do c = 0, 3
      s = seed * 16 + c
      call sl_flux_create(ctx, nt, nx, 0.1d0, 1d0, mu, f, st2)
      call need(st2, 'sl_flux_create')
      call sl_flux_sweep(f, 100_c_int64_t, nt * nx / 8, SL_FLUX_L_AUTO, s, st2)
      do i = c + 1, n, 4
        call sl_flux_sweep(f, 10_c_int64_t, nt * nx / 8, SL_FLUX_L_AUTO, s, st2)
        call sl_flux_export(f, 4 * nt * nx, xs(:, :, :, i), st2)
        call sl_flux_density(f, ys(1, i), st2)
        call sl_flux_phi2(f, ys(2, i), st2)
      end do
      call need(st2, 'sampling')
      call sl_flux_destroy(f)
    end do
  end subroutine sample

  subroutine need(st2, what)
    integer, intent(in) :: st2
    character(*), intent(in) :: what
    if (st2 /= SL_OK) then
      print '(a, a, a)', what, ': ', sl_ctx_errmsg(ctx)
      error stop 1
    end if
  end subroutine need

end program scalar_regression
