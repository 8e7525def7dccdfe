! Fortran interface of the regression additions: text feature libraries,
! formulas converted to Fortran and SymPy, the candidates of STLSQ, and
! SINDy from two trajectories of different lengths (finite differences)
! whose model is integrated again with sl_ode_rk4.
program test_fortran_regression
  use symlearn
  use checks
  use, intrinsic :: iso_c_binding, only: c_null_ptr
  implicit none

  type(sl_ctx) :: ctx
  call sl_ctx_create(ctx)
  call text_and_candidates()
  call sindy()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine text_and_candidates()
    type(sl_features) :: lib
    type(sl_regression) :: r
    type(sl_regression_opts) :: o
    real(c_double) :: x(2, 50), y(50), dummy(1)
    real(c_double), allocatable :: c(:)
    integer :: st, n
    integer(c_int64_t) :: i, nc
    logical :: front
    call sl_features_create(ctx, 2_c_int64_t, lib, st)
    call sl_features_set_names(lib, 'q p', st)
    call sl_features_add_text(lib, 'q; p; q^2; 1/sqrt(q^2 + p^2 + 1)  # four features', st)
    call expect_ok('sl_features_add_text', st)
    call check('4 text features', sl_features_count(lib) == 4)
    call check('text feature name', sl_features_name(lib, 3_c_int64_t) == '1/sqrt(q^2 + p^2 + 1)')
    call sl_features_add_text(lib, 'q r', st)
    call check('unknown variable reaches ierr', st == SL_ERR_ARG .and. sl_features_count(lib) == 4)
    call check('message with line and column', index(sl_ctx_errmsg(ctx), 'line 1, column 3') > 0)
    do n = 1, 50
      x(1, n) = sin(0.37d0 * n)
      x(2, n) = cos(0.91d0 * n + 0.2d0)
      y(n) = 2 * x(1, n) - 0.5d0 * x(1, n)**2 + 1 / sqrt(x(1, n)**2 + x(2, n)**2 + 1)
    end do
    call sl_regression_opts_init(o)
    o%method = SL_REGRESSION_STLSQ
    o%intercept = 0
    call sl_regress(ctx, o, lib, 50_c_int64_t, x, 0_c_int64_t, dummy, y=y, r=r, ierr=st)
    call expect_ok('sl_regress', st)
    call check('Fortran formula', sl_regression_formula(r, SL_FORMULA_FORTRAN) == &
               '2d0*(q - 0.25d0*q*q + 0.5d0*1d0/sqrt(q*q + p*p + 1d0))')
    call check('SymPy formula', sl_regression_formula(r, SL_FORMULA_SYMPY) == &
               '2*(q - 0.25*q*q + 0.5*1/sqrt(q*q + p*p + 1))')
    call check('convert', sl_formula_convert('pow(q, 3) + 0.5*p', SL_FORMULA_FORTRAN) == '(q)**3 + 0.5d0*p')
    call check('convert failure', sl_formula_convert('(q', SL_FORMULA_SYMPY, st) == '' .and. st == SL_ERR_ARG)
    nc = sl_regression_candidates(r)
    call check('candidates', nc >= 2)
    front = .false.
    do i = 0, nc - 1
      if (sl_regression_candidate_active(r, i) == 3 .and. sl_regression_candidate_is_pareto(r, i)) front = .true.
    end do
    call check('3-term fit on the Pareto front', front)
    call check('selected has 3 terms', sl_regression_candidate_active(r, sl_regression_selected(r)) == 3)
    call sl_regression_candidate_coefficients(r, sl_regression_selected(r), c)
    call check('candidate coefficients', size(c) == 4 .and. abs(c(1) - 2) < 1d-10 .and. c(2) == 0)
    call sl_regression_select(r, nc, st)
    call check('select out of range', st == SL_ERR_ARG)
    call sl_regression_destroy(r)
    call sl_features_destroy(lib)
  end subroutine text_and_candidates

  subroutine sindy()
    type(sl_system) :: s
    type(sl_features) :: lib
    type(sl_sindy_model) :: m
    real(c_double) :: a(2, 800), b(2, 500), x(2, 1300), ra(2, 101), rb(2, 101)
    real(c_double), allocatable :: xi(:, :)
    integer :: st
    call sl_system_create(ctx, SL_SYSTEM_OSCILLATOR, s, st)
    call sl_ode_rk4(ctx, sl_system_vector_field(), s%ptr, 2_c_int64_t, [1d0, 0d0], 0d0, 1d-3, 800_c_int64_t, &
                    10_c_int64_t, a, st)
    call sl_ode_rk4(ctx, sl_system_vector_field(), s%ptr, 2_c_int64_t, [0d0, 0.5d0], 0d0, 1d-3, 500_c_int64_t, &
                    10_c_int64_t, b, st)
    x(:, 1:800) = a
    x(:, 801:1300) = b
    call sl_features_create(ctx, 2_c_int64_t, lib, st)
    call sl_features_set_names(lib, 'x p', st)
    call sl_features_add_monomials(lib, 1, 2, st)
    call sl_sindy_fit(ctx, lib=lib, x=x, len=[800_c_int64_t, 500_c_int64_t], dt=1d-2, m=m, ierr=st)
    call expect_ok('sl_sindy_fit', st)
    call sl_sindy_model_coefficients(m, xi)
    call check('xi(K, d)', size(xi, 1) == 5 .and. size(xi, 2) == 2)
    call check('dx/dt = p', abs(xi(2, 1) - 1) < 1d-4 .and. abs(xi(1, 2) + 1) < 1d-4)
    call check('sparse', count(xi == 0) == 8)
    call check('formula', index(sl_sindy_model_formula(m, 1_c_int64_t, SL_FORMULA_TEXT), 'dp/dt = -') == 1)
    call sl_ode_rk4(ctx, sl_sindy_vector_field(), m%ptr, 2_c_int64_t, [0.3d0, -1d0], 0d0, 1d-2, 101_c_int64_t, &
                    10_c_int64_t, ra, st)
    call expect_ok('rollout', st)
    call sl_ode_rk4(ctx, sl_system_vector_field(), s%ptr, 2_c_int64_t, [0.3d0, -1d0], 0d0, 1d-2, 101_c_int64_t, &
                    10_c_int64_t, rb, st)
    call check('rollout matches over t = 10', maxval(abs(ra - rb)) < 1d-3)
    call sl_sindy_model_destroy(m)
    call sl_sindy_fit(ctx, lib=lib, x=x(:, 1:4), len=[2_c_int64_t, 2_c_int64_t], dt=1d-2, m=m, ierr=st)
    call check('length 2 refused', st == SL_ERR_ARG .and. index(sl_ctx_errmsg(ctx), 'sl_sindy_fit: len[0] = 2') > 0)
    call sl_sindy_model_destroy(m)
    call sl_features_destroy(lib)
    call sl_system_destroy(s)
  end subroutine sindy
end program test_fortran_regression
