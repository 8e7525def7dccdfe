! Fortran interface, scalar area: site weights against the reference table,
! a flux configuration on 6 x 4 with sweeps and measurements, the (Nx, Nt, 4)
! array layout (a time-winding line imported from Fortran gives Q = 1), a
! defect, a reflection, a save/load round trip, and errors reaching ierr.
program test_fortran_scalar
  use symlearn
  use checks
  implicit none

  type(sl_ctx) :: ctx
  call sl_ctx_create(ctx)
  call weights()
  call flux()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine weights()
    real(c_double) :: lw(41)
    integer :: st
    call sl_flux_site_log_weights(ctx, 5d0, 1d0, lw, st)
    call expect_ok('sl_flux_site_log_weights', st)
    call check_close('W(0) eta 5', exp(lw(1)), 9.341113794389d-02, 1d-12)
    call check_close('W(40) eta 5', exp(lw(41)), 4.659115969553d-01, 1d-12)
    call sl_flux_site_log_weights(ctx, 5d0, -1d0, lw, st)
    call check('negative lambda: SL_ERR_ARG', st == SL_ERR_ARG)
    call check('message names the call', index(sl_ctx_errmsg(ctx), 'sl_flux_site_log_weights') > 0)
  end subroutine weights

  subroutine flux()
    type(sl_flux) :: f, g
    real(c_double) :: a(4, 6, 4), b(4, 6, 4), n(200), phi2(200), dens
    integer(c_int64_t) :: q(200), qq, dv(4, 6), worms, steps, acc, lp, la
    integer :: st, t
    character(len=64) :: path
    call sl_flux_create(ctx, 6_c_int64_t, 4_c_int64_t, 0.1d0, 1d0, 1d0, f, st)
    call expect_ok('sl_flux_create', st)
    call check('nt', sl_flux_nt(f) == 6 .and. sl_flux_nx(f) == 4)
    call sl_flux_run(f, 200_c_int64_t, 3_c_int64_t, SL_FLUX_L_AUTO, 7_c_int64_t, n, phi2, q, st)
    call expect_ok('sl_flux_run', st)
    call check('n = Q / Nx', all(abs(n - real(q, c_double) / 4) < 1d-15))
    call check('phi2 positive', all(phi2 > 0))
    call sl_flux_stats(f, worms, steps, acc, lp, la, st)
    call check('600 worms', worms == 600 .and. steps >= worms .and. acc <= steps)
    call check('closed', sl_flux_is_closed(f))
    ! a(x, t, c): one worldline along time at x = 2 (Fortran index 3)
    a = 0
    do t = 1, 6
      a(3, t, 1) = 1
    end do
    a(1, 2, 3) = 2   ! l_t = 2 on the link (t = 1, x = 0) -> (t = 2, x = 0)
    call sl_flux_import(f, 96_c_int64_t, a, st)
    call expect_ok('sl_flux_import', st)
    call sl_flux_winding(f, qq, st)
    call check('Q = 1', qq == 1)
    call sl_flux_density(f, dens, st)
    call check_close('n = 1/4', dens, 0.25d0, 1d-15)
    call sl_flux_export(f, 96_c_int64_t, b, st)
    call check('export = import', all(a == b))
    call sl_flux_add_defect(f, 1, 0_c_int64_t, 1_c_int64_t, 1, st)
    call expect_ok('sl_flux_add_defect', st)
    call check('defect: open', .not. sl_flux_is_closed(f))
    call sl_flux_divergence(f, 24_c_int64_t, dv, st)
    call check('div at (t 0, x 1) and (t 0, x 2)', dv(2, 1) == 1 .and. dv(3, 1) == -1 .and. sum(abs(dv)) == 2)
    call sl_flux_sweep(f, 1_c_int64_t, 1_c_int64_t, SL_FLUX_L_AUTO, 1_c_int64_t, st)
    call check('sweep refuses: SL_ERR_STATE', st == SL_ERR_STATE)
    call check('message names sl_flux_sweep', index(sl_ctx_errmsg(ctx), 'sl_flux_sweep') > 0)
    call sl_flux_add_defect(f, 1, 0_c_int64_t, 1_c_int64_t, -1, st)
    call sl_flux_reflect(f, 0, st)
    call sl_flux_winding(f, qq, st)
    call check('t-reflection: Q = -1', qq == -1)
    call sl_flux_reflect(f, 0, st)
    path = '/tmp/sl_fortran_flux.slf'
    call sl_flux_save(f, trim(path), st)
    call expect_ok('sl_flux_save', st)
    call sl_flux_load(ctx, trim(path), g, st)
    call expect_ok('sl_flux_load', st)
    call sl_flux_export(g, 96_c_int64_t, b, st)
    call check('file round trip', all(a == b))
    call sl_flux_destroy(g)
    a(1, 1, 1) = 0.5d0
    call sl_flux_import(f, 96_c_int64_t, a, st)
    call check('non-integer import: SL_ERR_ARG', st == SL_ERR_ARG)
    call sl_flux_set_mu(f, ieee_nan(), st)
    call check('NaN mu: SL_ERR_ARG', st == SL_ERR_ARG)
    call sl_flux_destroy(f)
    call check('destroy nulls the handle', .not. sl_associated(f))
  end subroutine flux

  real(c_double) function ieee_nan()
    use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_quiet_nan
    ieee_nan = ieee_value(0d0, ieee_quiet_nan)
  end function ieee_nan
end program test_fortran_scalar
