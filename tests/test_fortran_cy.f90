! Fortran interface, Calabi-Yau metrics: the Fermat quintic sampled from
! Fortran, sigma_FS and kappa against the C figures (same stream 5), a
! Donaldson k = 2 metric lowering sigma, a phi-model's losses, a short
! training with validation sigma, diagnostics, a scan over psi, and errors
! reaching ierr.
program test_fortran_cy
  use symlearn
  use checks
  implicit none

  type(sl_ctx) :: ctx
  type(sl_cy_variety) :: v, bad
  type(sl_cy_points) :: p, tr, va
  type(sl_cy_algebraic) :: al
  type(sl_cy_model) :: m
  type(sl_cy_donaldson_opts) :: dopts
  type(sl_cy_model_opts) :: mopts
  type(sl_cy_train_opts) :: topts
  type(sl_cy_diagnostics) :: dg
  type(sl_cy_scan) :: sc
  type(sl_cy_scan_opts) :: sopts
  real(c_double) :: ric(16), emin(16), trans(25), sfs2(2), sg2(2), ka2(2), lo2(2)
  complex(c_double_complex) :: psi2(2)
  type(sl_cy_points) :: p16
  integer(c_int64_t), parameter :: n = 4000
  real(c_double), allocatable :: det(:), w(:), hist(:), hl(:), wts(:)
  complex(c_double_complex), allocatable :: z(:, :), g(:, :, :)
  real(c_double) :: s_fs, s_don, loss, ma, trl, sig, kappa
  integer(c_int) :: dims(1)
  integer(c_int64_t) :: nterms(1)
  integer(c_int) :: ex(4)
  complex(c_double_complex) :: co(1)
  integer :: ierr

  call sl_ctx_create(ctx)
  call sl_cy_variety_quintic(ctx, 0.0_c_double, 0.0_c_double, v, ierr)
  call expect_ok('quintic', ierr)
  call check('ambient 5, dim 3', sl_cy_variety_ambient(v) == 5 .and. sl_cy_variety_dim(v) == 3)
  call sl_cy_sample(v, n, 5_c_int64_t, p, ierr)
  call expect_ok('sample', ierr)
  allocate(det(n), w(n), z(5, n), g(3, 3, n))
  call sl_cy_points_coords(p, z, ierr)
  call check('patch coordinate 1', any(z(:, 1) == (1.0_c_double, 0.0_c_double)))
  call sl_cy_fs_metric(p, 1.0_c_double, g, det, ierr)
  call expect_ok('fs metric', ierr)
  call check('g hermitian', abs(g(1, 2, 7) - conjg(g(2, 1, 7))) < 1e-15_c_double)
  call check_close('det of g(:, :, 1)', real(g(1,1,1)*(g(2,2,1)*g(3,3,1) - g(2,3,1)*g(3,2,1)) &
       - g(1,2,1)*(g(2,1,1)*g(3,3,1) - g(2,3,1)*g(3,1,1)) + g(1,3,1)*(g(2,1,1)*g(3,2,1) - g(2,2,1)*g(3,1,1)), &
       c_double), det(1), 1e-12_c_double)
  call sl_cy_points_sigma(p, det, s_fs, ierr)
  kappa = sl_cy_points_kappa(p)
  print '(a, f8.5, a, f9.6)', '  sigma_FS (4000 points) = ', s_fs, ', kappa = ', kappa
  call check('sigma_FS near 0.37', abs(s_fs - 0.37_c_double) < 0.03_c_double)
  call check('kappa near 0.0177', abs(kappa - 0.0177_c_double) < 0.001_c_double)

  call sl_cy_donaldson_opts_init(dopts)
  dopts%points = 20000
  call sl_cy_donaldson(v, 2, dopts, al, ierr)
  call expect_ok('donaldson', ierr)
  call check('N_2 = 15', sl_cy_algebraic_sections(al) == 15)
  call sl_cy_algebraic_metric(al, p, g, det, ierr)
  call sl_cy_points_sigma(p, det, s_don, ierr)
  print '(a, f8.5)', '  sigma_2 = ', s_don
  call check('Donaldson k = 2 lowers sigma', s_don < s_fs - 0.05_c_double)
  call sl_cy_algebraic_destroy(al)

  call sl_cy_points_subset(p, 0_c_int64_t, 3000_c_int64_t, tr, ierr)
  call sl_cy_points_subset(p, 3000_c_int64_t, 1000_c_int64_t, va, ierr)
  call sl_cy_model_opts_init(mopts)
  mopts%width = 32
  call sl_cy_train_opts_init(topts)
  topts%epochs = merge(1, 3, quick())
  call sl_discover_cy_metric(v, tr, va, mopts, topts, m, ierr)
  call expect_ok('discover', ierr)
  allocate(hist(sl_cy_model_epochs(m)), hl(sl_cy_model_epochs(m)))
  call sl_cy_model_history(m, hl, hist, ierr)
  call sl_cy_model_losses(m, va, loss, ma, trl, sig, ierr)
  print '(a, f8.5, a, f8.5)', '  phi-model: sigma_val ', hist(size(hist)), ', loss ', loss
  call check('history = final sigma', abs(hist(size(hist)) - sig) < 1e-12_c_double)
  call check('loss = ma + tr', abs(loss - ma - trl) < 1e-12_c_double)
  allocate(wts(sl_cy_model_nweights(m)))
  call sl_cy_model_get_weights(m, wts, ierr)
  wts(3) = ieee_nan()
  call sl_cy_model_set_weights(m, wts, ierr)
  call check('NaN weights -> SL_ERR_NONFINITE', ierr == SL_ERR_NONFINITE)

  ! diagnostics of the trained model on 16 points, a scan over two psi
  call sl_cy_points_subset(va, 0_c_int64_t, 16_c_int64_t, p16, ierr)
  call sl_cy_model_diagnostics(m, p16, dg, ric, emin, trans, ierr)
  call expect_ok('diagnostics', ierr)
  call check('diagnostics: positive definite, R finite', dg%nonpositive == 0 .and. dg%ricci_nan == 0 .and. &
       abs(dg%min_eigenvalue - minval(emin)) == 0 .and. dg%ricci_max_abs == maxval(abs(ric)))
  call check('transition residual: 0 on the diagonal', trans(1) == 0 .and. trans(7) == 0)
  print '(a, f8.4, a, es10.3, a, f8.3)', '  diagnostics (16 points): sigma ', dg%sigma, ', min eigenvalue ', &
       dg%min_eigenvalue, ', <|R|> ', dg%ricci_abs_mean
  call sl_cy_points_destroy(p16)
  call sl_cy_scan_opts_init(sopts)
  sopts%train_points = 128
  sopts%val_points = 128
  topts%epochs = 1
  psi2 = [(0.0_c_double, 0.0_c_double), (0.5_c_double, 0.0_c_double)]
  call sl_cy_scan_quintic(ctx, 2, psi2, sopts, mopts, topts, sc, ierr)
  call expect_ok('scan', ierr)
  call sl_cy_scan_results(sc, psi2, sfs2, sg2, ka2, lo2, ierr)
  call check('scan: two results', sl_cy_scan_count(sc) == 2 .and. real(psi2(2)) == 0.5_c_double .and. &
       all(sfs2 > 0.1_c_double) .and. all(ka2 > 0))
  call sl_cy_scan_destroy(sc)

  dims(1) = 3
  nterms(1) = 1
  ex = [3, 0, 0, 0]
  co(1) = (1.0_c_double, 0.0_c_double)
  call sl_cy_variety_create(ctx, 1, dims, 1, nterms, ex, co, bad, ierr)
  call check('not Calabi-Yau -> SL_ERR_ARG', ierr == SL_ERR_ARG)
  call check('message names the call', index(sl_ctx_errmsg(ctx), 'sl_cy_variety_create') == 1)

  deallocate(det, w, z, g, hist, hl, wts)
  call sl_cy_model_destroy(m)
  call sl_cy_points_destroy(tr)
  call sl_cy_points_destroy(va)
  call sl_cy_points_destroy(p)
  call sl_cy_variety_destroy(v)
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()
contains
  real(c_double) function ieee_nan()
    use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_quiet_nan
    ieee_nan = ieee_value(1.0_c_double, ieee_quiet_nan)
  end function ieee_nan
end program test_fortran_cy
