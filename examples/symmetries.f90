! Symmetry discovery from Fortran: the Lorentz algebra of the Minkowski metric
! in one call, G2 from the octonionic 3-form with options, the structure
! constants and Killing form seen with natural Fortran indices, a save/load
! round trip, and errors reaching Fortran.  Ends with "N passed, N failed" and
! a nonzero exit on failure.
!
! Indices: the wrappers hand out J(i, j, a) = (J_a)_ij and f(a, b, c) = f_ab^c
! with [J_a, J_b] = sum_c f_ab^c J_c, so no index reversal is needed here.
program symmetries
  use symlearn
  implicit none

  type(sl_ctx) :: ctx
  type(sl_symmetry_opts) :: o
  type(sl_symmetry_result) :: res, back
  real(c_double) :: eta(4, 4), err, dist, resid
  real(c_double), allocatable :: j(:, :, :), f(:, :, :), k(:, :), e(:), j2(:, :, :), f2(:, :, :)
  integer :: ierr, nneg, npos, nzero, a, b, npass, nfail

  npass = 0
  nfail = 0
  call sl_ctx_create(ctx, ierr)
  call check('sl_ctx_create', ierr == SL_OK)

  ! 1. Lorentz: phi(x) = x^T eta x, one call.
  eta = 0
  eta(1, 1) = 1
  do a = 2, 4
    eta(a, a) = -1
  end do
  call sl_discover_symmetries_quadratic(ctx, eta, res, ierr)
  call check('Lorentz discovered: '//sl_ctx_errmsg(ctx), ierr == SL_OK)
  print '(a, a, a, i0)', 'Minkowski metric: ', sl_symmetry_result_name(res), ', dimension ', &
      sl_symmetry_result_dim(res)
  call check('dimension 6', sl_symmetry_result_dim(res) == 6)
  call sl_symmetry_result_signature(res, nneg, npos, nzero, ierr)
  print '(a, 3(i0, 1x))', '  Killing signature (negative, positive, zero): ', nneg, npos, nzero
  call check('Killing signature (3, 3)', nneg == 3 .and. npos == 3 .and. nzero == 0)
  call check('named so(1,3)', sl_symmetry_result_name(res) == 'so(1,3)')
  call sl_symmetry_result_generators(res, j)
  err = 0
  do a = 1, 6
    err = max(err, maxval(abs(matmul(transpose(j(:, :, a)), eta) + matmul(eta, j(:, :, a)))))
  end do
  print '(a, es10.2)', '  max |J^T eta + eta J| = ', err
  call check('J^T eta + eta J = 0', err < 1e-9_c_double)

  ! structure constants against the brackets computed here
  call sl_symmetry_result_structure_constants(res, f)
  err = 0
  do a = 1, 6
    do b = 1, 6
      err = max(err, maxval(abs(matmul(j(:, :, a), j(:, :, b)) - matmul(j(:, :, b), j(:, :, a)) &
          - reshape(matmul(reshape(j, [16, 6]), f(a, b, :)), [4, 4]))))
    end do
  end do
  call check('[J_a, J_b] = f_ab^c J_c with Fortran indices', err < 1e-12_c_double)
  call sl_symmetry_result_killing_eigenvalues(res, e)
  call check('g^-1 K = -2 (x3), +2 (x3)', abs(e(1) + 2) < 1e-9_c_double .and. abs(e(6) - 2) < 1e-9_c_double)

  ! the analysis on plain arrays agrees
  call sl_lie_structure_constants(ctx, j, f2, resid, ierr)
  call check('sl_lie_structure_constants', ierr == SL_OK .and. maxval(abs(f2 - f)) < 1e-12_c_double &
      .and. resid < 1e-12_c_double)
  call sl_lie_killing_form(ctx, f2, k, ierr)
  call check('Killing form trace = 0 for so(1,3)', ierr == SL_OK .and. abs(k(1, 1) + k(2, 2) + k(3, 3) &
      + k(4, 4) + k(5, 5) + k(6, 6)) < 1e-9_c_double)

  ! save / load round trip
  call sl_symmetry_result_save(res, 'build/fortran/lorentz.slr', ierr)
  call check('save', ierr == SL_OK)
  call sl_symmetry_result_load(ctx, 'build/fortran/lorentz.slr', back, ierr)
  call check('load', ierr == SL_OK)
  call sl_symmetry_result_generators(back, j2)
  call check('loaded generators equal', maxval(abs(j2 - j)) == 0)
  call sl_symmetry_result_destroy(back)
  call sl_symmetry_result_destroy(res)
  call check('destroy nulls the handle', .not. sl_associated(res))

  ! 2. G2 from the 3-form on triples, trained solver, scan N_g = 14, 15.
  call sl_symmetry_opts_create(ctx, o, ierr)
  call sl_symmetry_opts_oracle_octonion_3form(o, ierr)
  call sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED, ierr)
  call sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, .false., ierr)
  call sl_symmetry_opts_set_scan(o, 14, 15, ierr)
  call check('G2 options', ierr == SL_OK)
  call sl_discover_symmetries(ctx, o, res, ierr)
  call check('G2 trained: '//sl_ctx_errmsg(ctx), ierr == SL_OK)
  print '(a, a, a, i0, a, es10.2)', 'octonionic 3-form: ', sl_symmetry_result_name(res), ', dimension ', &
      sl_symmetry_result_dim(res), ', loss ', sl_symmetry_result_loss(res, SL_SYM_LOSS_TOTAL)
  call check('G2: 14 generators', sl_symmetry_result_dim(res) == 14)
  call sl_symmetry_result_killing_eigenvalues(res, e)
  call check('G2: K = -4 g', maxval(abs(e + 4)) < 1e-6_c_double)
  call sl_symmetry_result_generators(res, j)
  call sl_symmetry_opts_destroy(o)
  call sl_symmetry_result_destroy(res)
  ! the exact solver gives the same span
  call sl_symmetry_opts_create(ctx, o)
  call sl_symmetry_opts_oracle_octonion_3form(o)
  call sl_discover_symmetries(ctx, o, res, ierr)
  call sl_symmetry_result_generators(res, j2)
  call sl_lie_span_distance(ctx, j, j2, dist, ierr)
  print '(a, es10.2)', '  trained vs exact span distance ', dist
  call check('G2 spans agree', ierr == SL_OK .and. dist < 1e-8_c_double)
  call sl_symmetry_result_destroy(res)
  call sl_symmetry_opts_destroy(o)

  ! 3. errors reach Fortran
  call sl_symmetry_opts_create(ctx, o)
  call sl_discover_symmetries(ctx, o, res, ierr)
  call check('no oracle: SL_ERR_STATE', ierr == SL_ERR_STATE .and. .not. sl_associated(res))
  call sl_symmetry_opts_oracle_quadratic(o, 3, eta, ierr)
  call check('G of the wrong size: SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
  call sl_symmetry_opts_oracle_quadratic(o, 0, ierr=ierr)
  call check('n = 0: SL_ERR_ARG', ierr == SL_ERR_ARG)
  call sl_symmetry_opts_destroy(o)
  call sl_symmetry_opts_destroy(o)
  call sl_symmetry_result_load(ctx, 'build/fortran/no-such-file.slr', res, ierr)
  call check('missing file: SL_ERR_IO', ierr == SL_ERR_IO)

  call sl_ctx_destroy(ctx)
  deallocate(j, f, k, e, j2, f2)   ! main-program arrays are never freed otherwise (leak checkers)
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
      print '(a, a)', 'FAIL ', what
    end if
  end subroutine check

end program symmetries
