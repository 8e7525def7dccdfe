! A Lax connection of KdV (u_t = -6 u u_x - u_xxx) learned from Fortran:
! the zero-curvature residual of the analytic AKNS connection on random jets,
! then sl_discover_lax_connection with L_x a function of u and lambda only,
! checked on the held-out jets.  Stops with a nonzero status when the
! learned connection misses 1e-6 or is abelian.
! Build and run: make fortran-examples (build/fortran/lax_kdv)
program lax_kdv
  use symlearn
  use, intrinsic :: iso_c_binding, only: c_null_ptr
  implicit none
  type(sl_ctx) :: ctx
  type(sl_lax_connection_builtin) :: kdv
  type(sl_lax_connection_opts) :: o
  type(sl_lax_connection_result) :: r
  integer(c_int64_t), parameter :: m = 200
  real(c_double) :: jets(6, m), z(3, m), zx(3, m), zt(3, m), lam(m)
  real(c_double) :: lx(2, 2, m), lt(2, 2, m), dtlx(2, 2, m), dxlt(2, 2, m), c(2, 2), res, num, den, share
  integer :: st, i

  call sl_ctx_create(ctx)
  call sl_lax_connection_builtin_create(ctx, SL_LAX_KDV, kdv, st)
  call sl_lax_connection_builtin_sample(kdv, m, 7_c_int64_t, jets, st)
  do i = 1, int(m)
    lam(i) = -1.0_c_double + 2.0_c_double * real(i, c_double) / real(m, c_double)
  end do
  z = jets(1:3, :)
  zx = jets(2:4, :)
  ! the PDE's prolongation z_t = (u_t, D_x u_t, D_x^2 u_t)
  zt(1, :) = -6 * jets(1, :) * jets(2, :) - jets(4, :)
  zt(2, :) = -6 * (jets(2, :)**2 + jets(1, :) * jets(3, :)) - jets(5, :)
  zt(3, :) = -6 * (3 * jets(2, :) * jets(3, :) + jets(1, :) * jets(4, :)) - jets(6, :)

  call sl_lax_connection_opts_init(o)
  o%order_x = 0
  call sl_discover_lax_connection(ctx, o, sl_lax_connection_builtin_pde(), kdv%ptr, 0_c_int64_t, c_null_ptr, r, st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  print '(a, es10.3, a, f6.3)', 'KdV connection (Fortran): held-out residual ', sl_lax_connection_result_residual(r), &
        ', commutator share ', sl_lax_connection_result_commutator(r)
  ! our own check on these jets: D_t L_x - D_x L_t + [L_x, L_t], transposed (each C matrix
  ! reads transposed in Fortran, and [X, T]^T = T^T X^T - X^T T^T)
  call sl_lax_connection_result_eval(r, m, z, lam, zx, zt, lx, lt, dtlx, dxlt, st)
  num = 0
  den = 0
  do i = 1, int(m)
    c = matmul(lt(:, :, i), lx(:, :, i)) - matmul(lx(:, :, i), lt(:, :, i))
    num = num + sum((dtlx(:, :, i) - dxlt(:, :, i) + c)**2)
    den = den + sum(dtlx(:, :, i)**2) + sum(dxlt(:, :, i)**2) + sum(c**2)
  end do
  res = num / den
  share = sl_lax_connection_result_commutator(r)
  print '(a, es10.3)', '  residual on 200 new jets: ', res
  call sl_lax_connection_result_destroy(r)
  call sl_lax_connection_builtin_destroy(kdv)
  call sl_ctx_destroy(ctx)
  if (.not. (res < 1e-6_c_double) .or. .not. (share > 1e-2_c_double)) error stop 1
end program lax_kdv
