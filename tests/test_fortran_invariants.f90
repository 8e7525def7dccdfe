! Fortran interface, Siamese invariants (discover area): a short training on
! two groups of points on circles (the invariant r^2 = x^2 + y^2), the
! natural-index wrappers (losses, encode with its gradient, weights, fit on
! the training samples and on given points) against each other, and size
! errors reaching ierr.  Points are columns x(2, n).
program test_fortran_invariants
  use symlearn
  use checks
  implicit none
  integer, parameter :: ng = 16, per = 16, n = ng * per
  type(sl_ctx) :: ctx
  type(sl_invariant_opts) :: o
  type(sl_invariant_result) :: r
  real(c_double) :: x(2, n), f(1, n), grad(2, 1, n), fh(1, 1), xh(2, 1), res1, res2, h, fd, gmax
  real(c_double), allocatable :: loss(:), w(:), mean(:), scale(:), coef(:), coef2(:)
  integer(c_int64_t) :: group(n)
  integer :: g, i, j, st

  do g = 0, ng - 1
    do i = 1, per
      j = g * per + i
      x(1, j) = (0.5d0 + g / 8d0) * cos(6.283185307179586d0 * (i + 0.37d0 * g) / per)
      x(2, j) = (0.5d0 + g / 8d0) * sin(6.283185307179586d0 * (i + 0.37d0 * g) / per)
      group(j) = g
    end do
  end do
  call sl_ctx_create(ctx)
  call sl_invariant_opts_init(o)
  o%steps = 300
  o%npairs = 256
  call sl_discover_invariants(ctx, int(n, c_int64_t), 2_c_int64_t, x, group, o, r, st)
  call check('sl_discover_invariants trains', st == SL_OK)

  call sl_invariant_result_losses(r, loss)
  call check('losses: steps + 1 values, the last the final loss', size(loss) == 301 .and. &
             loss(301) == sl_invariant_result_final_loss(r))
  call check('the loss fell', loss(301) < loss(1))

  call sl_invariant_result_encode(r, x, f, grad, st)
  call check('encode with gradient', st == SL_OK)
  ! the gradient against central differences at point 5
  h = 1d-6
  gmax = 0
  do i = 1, 2
    xh(:, 1) = x(:, 5)
    xh(i, 1) = xh(i, 1) + h
    call sl_invariant_result_encode(r, xh, fh)
    fd = fh(1, 1)
    xh(i, 1) = xh(i, 1) - 2 * h
    call sl_invariant_result_encode(r, xh, fh)
    fd = (fd - fh(1, 1)) / (2 * h)
    gmax = max(gmax, abs(fd - grad(i, 1, 5)) / max(1d0, abs(fd)))
  end do
  call check('encode: grad(i, 1, j) = df/dx_i against central differences (1e-6)', gmax < 1d-6)

  call sl_invariant_result_weights(r, w, mean, scale, st)
  call check('weights: nweights values, mean and scale of size d', st == SL_OK .and. &
             size(w) == sl_invariant_result_nweights(r) .and. size(mean) == 2 .and. all(scale > 0))

  call sl_invariant_result_fit(r, 0, SL_INVARIANT_FIT_GRADIENT, coef, res1, ierr=st)
  call check('fit on the training samples: 6 monomials', st == SL_OK .and. size(coef) == 6)
  call sl_invariant_result_fit(r, 0, SL_INVARIANT_FIT_GRADIENT, coef2, res2, x, ierr=st)
  call check('fit on the same points given as x(2, n): the same coefficients', st == SL_OK .and. &
             maxval(abs(coef - coef2)) < 1d-12 .and. abs(res1 - res2) < 1d-12)
  print '(a, 6f9.4)', '  fit coefficients:', coef
  ! r^2: coefficients of xx (4) and yy (6) equal, xy (5) small against them
  call check('fit: x^2 and y^2 with one coefficient (5%)', abs(coef(4) - coef(6)) < 0.05d0 * abs(coef(4)) .and. &
             abs(coef(5)) < 0.05d0 * abs(coef(4)))

  call sl_invariant_result_encode(r, x(1:1, :), f, ierr=st)
  call check('encode: x with the wrong first extent gives SL_ERR_SHAPE', st == SL_ERR_SHAPE)
  call sl_invariant_result_encode(r, x(:, 1:3), f, ierr=st)
  call check('encode: f with the wrong second extent gives SL_ERR_SHAPE', st == SL_ERR_SHAPE)
  call sl_invariant_result_fit(r, 0, SL_INVARIANT_FIT_GRADIENT, coef2, ierr=st, x=x(1:1, :))
  call check('fit: x with the wrong first extent gives SL_ERR_SHAPE', st == SL_ERR_SHAPE)
  call sl_invariant_result_fit(r, 3, SL_INVARIANT_FIT_GRADIENT, coef2, ierr=st)
  call check('fit: latent out of range reaches ierr', st == SL_ERR_ARG .and. len(sl_ctx_errmsg(ctx)) > 0)

  deallocate(loss, w, mean, scale, coef, coef2)
  call sl_invariant_result_destroy(r)
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()
end program test_fortran_invariants
