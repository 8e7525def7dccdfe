! Fortran interface, dynamics and conserved quantities: RK4 with a vector
! field written in Fortran (c_funloc), a built-in system integrated with the
! Yoshida scheme, the exact conserved quantities of the isotropic oscillator
! (B2: 4 found, 3 independent) with their formulas and a save/load round
! trip, a regression with its formula, and errors reaching ierr.
module cons_fields
  use symlearn
  use, intrinsic :: iso_c_binding, only: c_ptr, c_associated
  implicit none
  private
  public :: oscillator
contains
  ! x' = p, p' = -x: the C signature of sl_vector_field_fn.
  integer(c_int) function oscillator(user, t, x, dxdt, d) bind(c)
    type(c_ptr), value :: user
    real(c_double), value :: t
    integer(c_int64_t), value :: d
    real(c_double), intent(in) :: x(d)
    real(c_double), intent(out) :: dxdt(d)
    dxdt(1) = x(2)
    dxdt(2) = -x(1)
    oscillator = 0
    if (c_associated(user) .or. t < 0) oscillator = 1   ! neither is used
  end function oscillator
end module cons_fields

program test_fortran_conserved
  use symlearn
  use checks
  use cons_fields, only: oscillator
  use, intrinsic :: iso_c_binding, only: c_funloc, c_funptr, c_null_ptr, c_sizeof
  implicit none

  type(sl_ctx) :: ctx
  call sl_ctx_create(ctx)
  call integrate()
  call discover()
  call regression()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine integrate()
    real(c_double) :: traj(2, 11), z(4, 101), h(101), h0(1)
    type(sl_system) :: s
    type(c_funptr) :: f
    integer :: st
    f = c_funloc(oscillator)
    call sl_ode_rk4(ctx, f, c_null_ptr, 2_c_int64_t, [1d0, 0d0], 0d0, 0.01d0, &
                    11_c_int64_t, 10_c_int64_t, traj, st)
    call expect_ok('sl_ode_rk4', st)
    call check_close('rk4 x(t = 1)', traj(1, 11), cos(1d0), 1d-9)
    call check_close('rk4 p(t = 1)', traj(2, 11), -sin(1d0), 1d-9)
    call sl_system_create(ctx, SL_SYSTEM_KEPLER, s, st)
    call expect_ok('sl_system_create', st)
    call check('kepler name', sl_system_name(s) == 'B5 Kepler 2D')
    call sl_ode_symplectic(ctx, SL_ODE_YOSHIDA4, sl_system_grad_v(), sl_system_grad_t(), s%ptr, 2_c_int64_t, &
                           [0.5d0, 0d0, 0d0, sqrt(3d0)], 1d-3, 101_c_int64_t, 100_c_int64_t, z, st)
    call expect_ok('sl_ode_symplectic', st)
    call sl_system_hamiltonian(s, 101_c_int64_t, z, h, st)
    call sl_system_hamiltonian(s, 1_c_int64_t, z(:, 1), h0, st)
    call check('yoshida energy', maxval(abs(h - h0(1))) < 1d-10)
    call sl_system_destroy(s)
  end subroutine integrate

  subroutine discover()
    type(sl_system) :: s
    type(sl_features) :: lib
    type(sl_conserved_opts) :: o
    type(sl_conserved_result) :: r, q
    real(c_double) :: lo(4), hi(4)
    real(c_double), allocatable :: theta(:, :), sv(:), br(:, :)
    integer :: st, j
    call sl_system_create(ctx, SL_SYSTEM_ISOTROPIC, s, st)
    call sl_system_box(s, lo, hi)
    call sl_features_create(ctx, 4_c_int64_t, lib, st)
    call sl_features_set_names(lib, 'x y px py', st)
    call sl_features_add_monomials(lib, 1, 3, st)
    call expect_ok('library', st)
    call sl_conserved_opts_init(o)
    call check('opts size and defaults', o%size == c_sizeof(o) .and. o%mode == SL_CONSERVED_EXACT .and. &
               o%samples == 2000 .and. o%n_traj == 20)
    o%domain = sl_system_in_domain()
    o%domain_user = s%ptr
    if (quick()) o%n_traj = 4
    call sl_discover_conserved(ctx, o, sl_system_vector_field(), s%ptr, 4_c_int64_t, lo, hi, 0_c_int64_t, &
                               c_null_ptr, lib, r, st)
    call expect_ok('sl_discover_conserved', st)
    call check('B2: 4 quantities', sl_conserved_result_count(r) == 4)
    call check('B2: 3 independent', sl_conserved_result_independent(r) == 3)
    call check('I1 = x^2 + px^2', sl_conserved_result_formula(r, 0_c_int64_t, SL_FORMULA_TEXT) == 'x^2 + px^2')
    call check('I3 = x py - y px', sl_conserved_result_formula(r, 2_c_int64_t, SL_FORMULA_TEXT) == 'x py - y px')
    do j = 0, 3
      call check('relvar small', sl_conserved_result_relvar(r, int(j, c_int64_t)) < 1d-12)
    end do
    call sl_conserved_result_coefficients(r, theta)
    call check('theta(K, M)', size(theta, 1) == 34 .and. size(theta, 2) == 4)
    call check('theta of x^2 in I1', abs(theta(5, 1) - 1) < 1d-12)
    call sl_conserved_result_singular_values(r, sv)
    call check('singular values: K of them, descending, the last 4 (the null space) ~ 0', size(sv) == 34 .and. &
               all(sv(1:33) >= sv(2:34)) .and. maxval(sv(31:34)) < 1d-10 * sv(1) .and. sv(30) > 1d-6 * sv(1))
    call sl_conserved_result_brackets(r, br)
    call check('brackets: none for an exact result', size(br) == 0)
    call sl_conserved_result_save(r, 'build/tests/fortran_conserved.slc', st)
    call expect_ok('save', st)
    call sl_conserved_result_load(ctx, 'build/tests/fortran_conserved.slc', q, st)
    call expect_ok('load', st)
    call check('loaded formula', sl_conserved_result_formula(q, 3_c_int64_t, SL_FORMULA_C) == &
               sl_conserved_result_formula(r, 3_c_int64_t, SL_FORMULA_C))
    call sl_conserved_result_destroy(q)
    call sl_conserved_result_destroy(r)
    ! neural mode on B1 (small budget): the network's gradient spans grad H = (x, p)
    call neural()
    call sl_features_destroy(lib)
    call sl_system_destroy(s)
  end subroutine discover

  subroutine neural()
    type(sl_system) :: s
    type(sl_features) :: lib
    type(sl_conserved_opts) :: o
    type(sl_conserved_result) :: r
    real(c_double) :: lo(2), hi(2), x(2, 3), v(3), g(2, 3), ang(3)
    real(c_double), allocatable :: e(:)
    integer :: st
    call sl_system_create(ctx, SL_SYSTEM_OSCILLATOR, s, st)
    call sl_system_box(s, lo, hi)
    call sl_features_create(ctx, 2_c_int64_t, lib, st)
    call sl_features_add_monomials(lib, 1, 2, st)
    call sl_conserved_opts_init(o)
    o%mode = SL_CONSERVED_NEURAL
    o%hidden = 16
    o%batch = 64
    o%samples = 500
    o%steps = 600
    o%lr = 3d-3
    o%n_traj = 4
    o%t_end = 1d0
    call sl_discover_conserved(ctx, o, sl_system_vector_field(), s%ptr, 2_c_int64_t, lo, hi, 0_c_int64_t, &
                               c_null_ptr, lib, r, st)
    call expect_ok('neural mode', st)
    call check('neural mode result', sl_conserved_result_mode(r) == SL_CONSERVED_NEURAL .and. &
               sl_conserved_result_nseeds(r) == 1)
    call sl_conserved_result_explained(r, e)
    call check('explained ratios: descending, in [0, 1]', size(e) >= 1 .and. all(e >= 0 .and. e <= 1 + 1d-12))
    if (size(e) >= 2) call check('explained ratios descending', all(e(1:size(e) - 1) >= e(2:)))
    if (sl_conserved_result_count(r) >= 1) then
      x = reshape([0.5d0, -0.3d0, 1.2d0, 0.4d0, -0.8d0, -1.1d0], [2, 3])
      call sl_conserved_result_eval(r, 0_c_int64_t, 3_c_int64_t, x, v, g, st)
      call expect_ok('eval', st)
      call sl_conserved_result_span_angles(r, -1, 3_c_int64_t, x, 1_c_int64_t, x, ang, st)
      call expect_ok('span angles', st)
      call check('gradient along (x, p)', maxval(ang) < 10d0)
    end if
    call sl_conserved_result_eval(r, 7_c_int64_t, 3_c_int64_t, x, v, g, st)
    call check('eval j out of range reaches ierr', st == SL_ERR_ARG)
    call sl_conserved_result_destroy(r)
    call sl_features_destroy(lib)
    call sl_system_destroy(s)
  end subroutine neural

  subroutine regression()
    type(sl_system) :: g1
    type(sl_features) :: lib
    type(sl_regression_opts) :: o
    type(sl_regression) :: r
    real(c_double) :: x(4, 200), s2(200), dummy(1)
    integer(c_int64_t) :: grp(200)
    integer :: st
    call sl_system_create(ctx, SL_SYSTEM_LORENTZ_EVENTS, g1, st)
    call sl_system_sample_groups(g1, 20_c_int64_t, 10_c_int64_t, 0_c_int64_t, x, grp, st)
    call expect_ok('groups', st)
    call check('group ids', grp(1) == 0 .and. grp(200) == 19)
    call sl_system_known_eval(g1, 0, 200_c_int64_t, x, s2, st)
    call sl_features_create(ctx, 4_c_int64_t, lib, st)
    call sl_features_set_names(lib, 't x y z', st)
    call sl_features_add_monomials(lib, 0, 2, st)
    call sl_regression_opts_init(o)
    o%method = SL_REGRESSION_STLSQ
    call sl_regress(ctx, o, lib, 200_c_int64_t, x, 0_c_int64_t, dummy, y=0.5d0 * s2 + 0.25d0, r=r, ierr=st)
    call expect_ok('sl_regress', st)
    call check('formula', sl_regression_formula(r, SL_FORMULA_TEXT) == 'y ~ 0.5 (t^2 - x^2 - y^2 - z^2) + 0.25')
    call check('R^2 = 1', abs(sl_regression_r2(r) - 1) < 1d-12)
    call sl_regression_destroy(r)
    call sl_regress(ctx, o, lib, 5_c_int64_t, x, 0_c_int64_t, dummy, y=s2, r=r, ierr=st)
    call check('too few points reaches ierr', st == SL_ERR_ARG .and. .not. sl_associated(r))
    call sl_features_destroy(lib)
    call sl_system_destroy(g1)
  end subroutine regression
end program test_fortran_conserved
