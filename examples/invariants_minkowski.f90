! Minkowski events from Fortran (as examples/invariants_minkowski.c): 4-vectors
! (t, x, y, z) grouped by their interval s^2 = t^2 - x^2 - y^2 - z^2, a Siamese
! encoder trained to tell same-group pairs from others (sl_discover_invariants,
! Wetzel et al., PRR 2 (2020) 033499), then the quadratic polynomial whose
! gradient is parallel to the encoder's (sl_invariant_result_fit, GRADIENT).
! Events are columns: x(4, n).  Stops with a nonzero status when the
! coefficients relative to t^2 are off by more than 0.05.
! Build and run: make fortran-examples (build/fortran/invariants_minkowski)
program invariants_minkowski
  use symlearn
  implicit none
  integer, parameter :: ng = 48, per = 32, n = ng * per, d = 4, nm = 15
  type(sl_ctx) :: ctx
  type(sl_invariant_opts) :: o
  type(sl_invariant_result) :: r
  real(c_double) :: x(d, n), f(1, 8), want(nm), res, err, s, r2
  real(c_double), allocatable :: coef(:), loss(:)
  integer(c_int64_t) :: group(n), k
  integer :: g, i, j, st

  ! t^2 - |x|^2 = s_g for group g: x ~ N(0, 1)^3, t = +-sqrt(s_g + |x|^2),
  ! s_g ~ U(-1, 2), resampled while s_g + |x|^2 < 0.05 (the C example's draws).
  k = 0
  do g = 0, ng - 1
    s = -1 + 3 * sl_rng_uniform(71_c_int64_t, int(g, c_int64_t))
    do i = 1, per
      j = g * per + i
      do
        x(2, j) = sl_rng_normal(72_c_int64_t, k)
        x(3, j) = sl_rng_normal(72_c_int64_t, k + 1)
        x(4, j) = sl_rng_normal(72_c_int64_t, k + 2)
        k = k + 3
        r2 = x(2, j)**2 + x(3, j)**2 + x(4, j)**2
        if (s + r2 >= 0.05d0) exit
      end do
      x(1, j) = sqrt(s + r2)
      if (sl_rng_uniform(73_c_int64_t, k) < 0.5d0) x(1, j) = -x(1, j)
      k = k + 1
      group(j) = g
    end do
  end do

  call sl_ctx_create(ctx)
  call sl_invariant_opts_init(o)
  call sl_discover_invariants(ctx, int(n, c_int64_t), int(d, c_int64_t), x, group, o, r, st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  call sl_invariant_result_losses(r, loss)
  print '(a, i0, a, f7.4, a, f6.3)', 'Siamese encoder: ', size(loss) - 1, ' steps, final loss ', &
        sl_invariant_result_final_loss(r), ', pair accuracy ', sl_invariant_result_accuracy(r)
  ! f(x) at the first 8 events (one column each)
  call sl_invariant_result_encode(r, x(:, 1:8), f, ierr=st)
  if (st == SL_OK) print '(a, 4f9.4)', 'latent at the first events of group 0:', f(1, 1:4)
  if (st == SL_OK) call sl_invariant_result_fit(r, 0, SL_INVARIANT_FIT_GRADIENT, coef, res, ierr=st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  ! monomial order of discover.h: 1, t, x, y, z, tt, tx, ty, tz, xx, xy, xz, yy, yz, zz
  want = 0
  want(6) = 1
  want(10) = -1
  want(13) = -1
  want(15) = -1
  err = maxval(abs(coef(2:) / coef(6) - want(2:)))
  print '(a, 3f9.4)', 'relative to t^2: x^2, y^2, z^2 =', coef(10) / coef(6), coef(13) / coef(6), coef(15) / coef(6)
  print '(a, es10.3, a, es10.3, a)', 'largest coefficient error ', err, ' (gradient-fit residual ', res, ')'
  deallocate(coef, loss)
  call sl_invariant_result_destroy(r)
  call sl_ctx_destroy(ctx)
  if (err >= 0.05d0) then
    print '(a)', 'invariants_minkowski (Fortran): FAILED'
    error stop 1
  end if
  print '(a)', 'invariants_minkowski (Fortran): s^2 = t^2 - x^2 - y^2 - z^2 recovered'
end program invariants_minkowski
