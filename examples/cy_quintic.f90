! The Fermat quintic from Fortran: sigma of the Fubini-Study metric, then the
! phi-model g = g_FS + d dbar phi (3 x 32 GELU) trained with the cosine
! learning-rate schedule and the weighted Monge-Ampere loss, sigma on the
! validation points printed per epoch (docs/calabi-yau.md; the C version is
! examples/cy_quintic.c).  Stops with a nonzero status when sigma is not
! lowered below 0.6 sigma_FS.
! Build and run: make fortran-examples (build/fortran/cy_quintic)
program cy_quintic
  use symlearn
  implicit none
  integer, parameter :: ntrain = 4000, nval = 4000, nepochs = 10
  type(sl_ctx) :: ctx
  type(sl_cy_variety) :: v
  type(sl_cy_points) :: train, val
  type(sl_cy_model_opts) :: mo
  type(sl_cy_train_opts) :: to
  type(sl_cy_model) :: m
  real(c_double) :: det(nval), sigma_fs, loss(nepochs), sigma(nepochs)
  complex(c_double_complex), allocatable :: g(:)
  integer :: st, e

  allocate(g(9 * nval))
  call sl_ctx_create(ctx)
  call sl_cy_variety_quintic(ctx, 0.0_c_double, 0.0_c_double, v, st)
  if (st == SL_OK) call sl_cy_sample(v, int(ntrain, c_int64_t), 11_c_int64_t, train, st)
  if (st == SL_OK) call sl_cy_sample(v, int(nval, c_int64_t), 12_c_int64_t, val, st)
  if (st == SL_OK) call sl_cy_fs_metric(val, 1.0_c_double, g, det, st)
  if (st == SL_OK) call sl_cy_points_sigma(val, det, sigma_fs, st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  print '(a, i0, a, i0, a, f8.5, a, f7.4)', 'Fermat quintic (Fortran): ', ntrain, ' training, ', nval, &
        ' validation points, kappa ', sl_cy_points_kappa(train), ', sigma_FS ', sigma_fs

  call sl_cy_model_opts_init(mo)
  mo%width = 32
  call sl_cy_train_opts_init(to)
  to%epochs = nepochs
  to%batch = 32
  to%lr = 1.0e-2_c_double
  to%schedule = SL_CY_LR_COSINE
  to%lr_final = 1.0e-4_c_double
  to%weighted = 1
  to%shuffle = 1
  call sl_discover_cy_metric(v, train, val, mo, to, m, st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  call sl_cy_model_history(m, loss, sigma, st)
  do e = 1, nepochs
    print '(a, i2, a, f8.5, a, f7.4)', '  epoch ', e, ': loss ', loss(e), '  sigma_val ', sigma(e)
  end do
  call sl_cy_model_destroy(m)
  call sl_cy_points_destroy(val)
  call sl_cy_points_destroy(train)
  call sl_cy_variety_destroy(v)
  call sl_ctx_destroy(ctx)
  if (.not. (sigma(nepochs) < 0.6_c_double * sigma_fs)) then
    print '(a)', 'cy_quintic: FAILED to lower sigma'
    error stop 1
  end if
  print '(a, f7.4, a, f7.4)', 'cy_quintic: sigma ', sigma_fs, ' (FS) -> ', sigma(nepochs)
end program cy_quintic
