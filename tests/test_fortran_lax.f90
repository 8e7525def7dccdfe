! Fortran interface, Lax pairs: the oscillator's analytic pair at a point
! (column-major matrices), a linear Lax pair learned from the built-in
! vector field with its conserved tr L^2 and formulas, and errors reaching
! ierr.
program test_fortran_lax
  use symlearn
  use checks
  use, intrinsic :: iso_c_binding, only: c_null_ptr, c_sizeof
  implicit none

  type(sl_ctx) :: ctx
  call sl_ctx_create(ctx)
  call analytic()
  call learn()
  call connection()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine analytic()
    type(sl_lax_builtin) :: b
    real(c_double) :: x(2, 1), l(2, 2, 1), m(2, 2, 1), h(1)
    integer :: st
    call sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0_c_int64_t, 1d0, b, st)
    call expect_ok('sl_lax_builtin_create', st)
    call check('dims', sl_lax_builtin_dim(b) == 2 .and. sl_lax_builtin_size(b) == 2)
    x(:, 1) = [0.3d0, -0.7d0]
    call sl_lax_builtin_eval(b, 1_c_int64_t, x, l, m, st)
    call expect_ok('sl_lax_builtin_eval', st)
    ! C's L = (p, q; q, -p): l(j, i) = L_ij
    call check('L_00 = p', abs(l(1, 1, 1) + 0.7d0) < 1d-15)
    call check('L_01 = q', abs(l(2, 1, 1) - 0.3d0) < 1d-15)
    call check('M_01 = 1/2', abs(m(2, 1, 1) - 0.5d0) < 1d-15 .and. abs(m(1, 2, 1) + 0.5d0) < 1d-15)
    call sl_lax_builtin_hamiltonian(b, 1_c_int64_t, x, h, st)
    call check('tr L^2 = 4 H', abs(sum(l(:, :, 1) * transpose(l(:, :, 1))) - 4 * h(1)) < 1d-14)
    call sl_lax_builtin_destroy(b)
    call sl_lax_builtin_create(ctx, 99, 0_c_int64_t, 1d0, b, st)
    call check('unknown kind -> SL_ERR_ARG', st == SL_ERR_ARG)
  end subroutine analytic

  subroutine learn()
    type(sl_lax_builtin) :: b
    type(sl_lax_opts) :: o
    type(sl_lax_result) :: r
    real(c_double) :: x(2, 3), t2(3)
    integer :: st
    call sl_lax_builtin_create(ctx, SL_LAX_OSCILLATOR, 0_c_int64_t, 1d0, b, st)
    call sl_lax_opts_init(o)
    call check('opts size and defaults', o%size == c_sizeof(o) .and. o%n == 2 .and. o%steps == 3000)
    o%model = SL_LAX_MODEL_LINEAR
    o%alpha_scale = 1
    o%steps = 300
    o%lr = 1d-2
    o%lbfgs_steps = 100
    o%regress_degree = 1
    o%holdout = 200
    o%n_traj = 1
    call sl_discover_lax_pair(ctx, o, sl_lax_builtin_vector_field(), b%ptr, 2_c_int64_t, 0_c_int64_t, &
                              c_null_ptr, c_null_ptr, r, st)
    call expect_ok('sl_discover_lax_pair', st)
    call check('residual < 1e-12', sl_lax_result_residual(r) < 1d-12)
    call check('tr L^2 conserved', sl_lax_result_conserved(r, 2))
    call check('mode collapse 0', sl_lax_result_loss(r, SL_LAX_TERM_MC, 0) == 0)
    x = reshape([1d0, 0d0, 0d0, 1d0, 0.6d0, 0.8d0], [2, 3])   ! three points with H = 1/2
    call sl_lax_result_trace(r, 2, 3_c_int64_t, x, t2, st)
    call expect_ok('sl_lax_result_trace', st)
    call check('tr L^2 a function of H', maxval(abs(t2 - t2(1))) < 1d-6 * abs(t2(1)))
    if (maxval(abs(t2 - t2(1))) >= 1d-6 * abs(t2(1))) print *, 'tr L^2 at H = 1/2:', t2
    call check('formula of L_00', len(sl_lax_result_formula(r, ichar('L'), 0_c_int64_t, 0_c_int64_t, &
               SL_FORMULA_TEXT)) > 0)
    call check('R^2 of L_01', sl_lax_result_r2(r, ichar('L'), 0_c_int64_t, 1_c_int64_t) > 1 - 1d-9)
    call sl_lax_result_destroy(r)
    ! wrong state size: the builtin's vector field refuses d = 3
    o%steps = 1
    call sl_discover_lax_pair(ctx, o, sl_lax_builtin_vector_field(), b%ptr, 3_c_int64_t, 0_c_int64_t, &
                              c_null_ptr, c_null_ptr, r, st)
    call check('wrong d -> SL_ERR_NUMERIC', st == SL_ERR_NUMERIC)
    o%n = 1
    call sl_discover_lax_pair(ctx, o, sl_lax_builtin_vector_field(), b%ptr, 2_c_int64_t, 0_c_int64_t, &
                              c_null_ptr, c_null_ptr, r, st)
    call check('N = 1 -> SL_ERR_ARG', st == SL_ERR_ARG)
    call sl_lax_builtin_destroy(b)
  end subroutine learn
  ! The KdV connection at one jet (u, u_x, u_xx) = (0.3, -0.2, 0.5), k = 0.7:
  ! L_x = (-k, u; -1, k), L_t(2, 1) = 4k^2 + 2u; Fortran reads C's matrices transposed.
  subroutine connection()
    type(sl_lax_connection_builtin) :: b
    real(c_double) :: z(3, 1), lam(1), lx(2, 2, 1), lt(2, 2, 1), jets(6, 2)
    integer :: st
    call sl_lax_connection_builtin_create(ctx, SL_LAX_KDV, b, st)
    call check('KdV builtin', st == SL_OK .and. sl_lax_connection_builtin_size(b) == 2 .and. &
               sl_lax_connection_builtin_jet_order(b) == 5)
    z(:, 1) = [0.3d0, -0.2d0, 0.5d0]
    lam(1) = 0.7d0
    call sl_lax_connection_builtin_eval(b, 1_c_int64_t, z, lam, lx, lt, st)
    call check('L_x(0, 1) = u', abs(lx(2, 1, 1) - 0.3d0) < 1d-15 .and. abs(lx(1, 1, 1) + 0.7d0) < 1d-15)
    call check('L_t(1, 0) = 4k^2 + 2u', abs(lt(1, 2, 1) - (4 * 0.49d0 + 0.6d0)) < 1d-14)
    call sl_lax_connection_builtin_sample(b, 2_c_int64_t, 3_c_int64_t, jets, st)
    call check('sampled jets in [-1, 1]', st == SL_OK .and. maxval(abs(jets)) <= 1)
    call sl_lax_connection_builtin_destroy(b)
    call sl_lax_connection_builtin_create(ctx, 99, b, st)
    call check('unknown kind -> SL_ERR_ARG', st == SL_ERR_ARG)
  end subroutine connection

end program test_fortran_lax
