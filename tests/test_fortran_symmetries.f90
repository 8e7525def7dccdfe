! Fortran interface, symmetry discovery and Lie-algebra analysis: the Lorentz
! algebra of the Minkowski metric in one call (natural Fortran indices for the
! generators, structure constants and Killing form), the analysis calls on
! plain arrays, a save/load round trip, G2 from the octonionic 3-form (exact
! and trained), oracles written in Fortran (a C-callable oracle with its
! gradient, a graph oracle), the Hermitian form, the symmetry losses with
! known values, and errors reaching ierr.
module sym_oracles
  use symlearn
  use, intrinsic :: iso_c_binding, only: c_ptr, c_null_ptr, c_f_pointer, c_associated
  implicit none
  private
  integer, public :: ncalls = 0
  public :: minkowski, sum_of_squares
contains
  ! phi(x) = x^T eta x on R^4 and its gradient 2 eta x: the C signature of
  ! sl_oracle_fn, with x(n, m), phi(nout, m), grad(n, nout, m) in Fortran order.
  integer(c_int) function minkowski(user, m, n, nargs, x, nout, phi, grad) bind(c)
    type(c_ptr), value :: user
    integer(c_int64_t), value :: m
    integer(c_int), value :: n, nargs, nout
    real(c_double), intent(in) :: x(n, m)
    real(c_double), intent(out) :: phi(m)
    type(c_ptr), value :: grad
    real(c_double), pointer :: gr(:, :)
    real(c_double), parameter :: eta(4) = [1, -1, -1, -1]
    integer(c_int64_t) :: i
    ncalls = ncalls + 1
    minkowski = 1
    if (n /= 4 .or. nargs /= 1 .or. nout /= 1 .or. c_associated(user)) return
    do i = 1, m
      phi(i) = sum(eta * x(:, i)**2)
    end do
    if (c_associated(grad)) then
      call c_f_pointer(grad, gr, [int(n, c_int64_t), m])
      do i = 1, m
        gr(:, i) = 2 * eta * x(:, i)
      end do
    end if
    minkowski = 0
  end function minkowski

  ! A graph oracle (sl_oracle_graph_fn): phi(x) = sum_j x_j^2 per sample,
  ! built on the handles of the C pointers it is given.
  function sum_of_squares(g, nargs, x, user) result(res) bind(c)
    type(c_ptr), value :: g
    integer(c_int), value :: nargs
    type(c_ptr), intent(in) :: x(*)
    type(c_ptr), value :: user
    type(c_ptr) :: res
    type(sl_graph) :: gh
    type(sl_node) :: xn, phi
    gh%ptr = g
    xn%ptr = x(1)
    phi = sl_graph_sum_axes(gh, sl_graph_square(gh, xn), [1])
    res = phi%ptr
    if (nargs /= 1 .or. c_associated(user)) res = c_null_ptr
  end function sum_of_squares
end module sym_oracles

program test_fortran_symmetries
  use symlearn
  use checks
  use sym_oracles, only: minkowski, sum_of_squares, ncalls
  use, intrinsic :: iso_c_binding, only: c_funloc, c_funptr, c_null_ptr
  use, intrinsic :: ieee_arithmetic, only: ieee_is_nan
  implicit none

  character(*), parameter :: path = 'build/tests/fortran_lorentz.slr'
  type(sl_ctx) :: ctx
  real(c_double) :: eta(4, 4)
  integer :: a

  call sl_ctx_create(ctx)
  eta = 0
  eta(1, 1) = 1
  do a = 2, 4
    eta(a, a) = -1
  end do
  call lorentz()
  call g2()
  call fortran_oracles()
  call hermitian()
  call losses()
  call hamiltonian_losses()
  call errors()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine lorentz()
    type(sl_symmetry_result) :: res, back
    real(c_double), allocatable :: j(:, :, :), f(:, :, :), k(:, :), e(:), j2(:, :, :), f2(:, :, :)
    real(c_double) :: err, resid, dist
    integer :: ierr, nneg, npos, nzero, b, u
    call sl_discover_symmetries_quadratic(ctx, eta, res, ierr)
    call expect_ok('Lorentz discovered: ' // sl_ctx_errmsg(ctx), ierr)
    call check('dimension 6 on R^4', sl_symmetry_result_dim(res) == 6 .and. sl_symmetry_result_n(res) == 4)
    call sl_symmetry_result_signature(res, nneg, npos, nzero, ierr)
    call check('Killing signature (3, 3, 0)', ierr == SL_OK .and. nneg == 3 .and. npos == 3 .and. &
        nzero == 0)
    call check('named so(1,3)', sl_symmetry_result_name(res) == 'so(1,3)')
    call check('so(1,3) is sl(2,C)_R, listed among its isomorphic forms', sl_symmetry_result_is(res, 'sl(2,C)') &
        .and. index(sl_symmetry_result_isomorphisms(res), 'sl(2,C)') > 0 .and. .not. sl_symmetry_result_is(res, 'so(4)'))
    block
      character(:), allocatable :: why
      call check('reason: found, with a line', sl_symmetry_result_reason(res, why) == SL_SYM_REASON_FOUND &
          .and. len(why) > 0 .and. sl_symmetry_result_reason(res) == SL_SYM_REASON_FOUND)
    end block
    call check('tolerance of the exact solver is set', sl_symmetry_result_tolerance(res, 6) > 0)
    call check('rank 2, no centre, not compact', sl_symmetry_result_rank(res) == 2 .and. &
        sl_symmetry_result_centre_dim(res) == 0 .and. .not. sl_symmetry_result_is_compact(res))
    call check('exact solver: a gap, no initial loss, closed', sl_symmetry_result_singular_gap(res) > 1 &
        .and. ieee_is_nan(sl_symmetry_result_initial_loss(res)) .and. &
        sl_symmetry_result_closure_residual(res) < 1.0e-12_c_double .and. &
        sl_symmetry_result_loss(res, SL_SYM_LOSS_INVARIANCE) < 1.0e-20_c_double)
    call sl_symmetry_result_generators(res, j)
    err = 0
    do a = 1, 6
      err = max(err, maxval(abs(matmul(transpose(j(:, :, a)), eta) + matmul(eta, j(:, :, a)))))
    end do
    call check('J^T eta + eta J = 0 with J(i, j, a) = (J_a)_ij', err < 1.0e-9_c_double)
    call sl_symmetry_result_structure_constants(res, f)
    err = 0
    do a = 1, 6
      do b = 1, 6
        err = max(err, maxval(abs(matmul(j(:, :, a), j(:, :, b)) - matmul(j(:, :, b), j(:, :, a)) &
            - reshape(matmul(reshape(j, [16, 6]), f(a, b, :)), [4, 4]))))
      end do
    end do
    call check('[J_a, J_b] = f_ab^c J_c with f(a, b, c)', err < 1.0e-12_c_double)
    call sl_symmetry_result_killing_eigenvalues(res, e)
    call check('g^-1 K = -2 (x3), +2 (x3)', abs(e(1) + 2) < 1.0e-9_c_double .and. &
        abs(e(6) - 2) < 1.0e-9_c_double)
    call sl_symmetry_result_killing_form(res, k)
    call sl_lie_structure_constants(ctx, j, f2, resid, ierr)
    call check('sl_lie_structure_constants = the result''s', ierr == SL_OK .and. &
        maxval(abs(f2 - f)) < 1.0e-12_c_double .and. resid < 1.0e-12_c_double)
    deallocate(f2)
    call sl_lie_structure_constants(ctx, j, f2, ierr=ierr)
    call check('sl_lie_structure_constants without the residual', ierr == SL_OK .and. &
        maxval(abs(f2 - f)) < 1.0e-12_c_double)
    call sl_lie_killing_form(ctx, f2, k, ierr)
    call check('Killing form: trace 0 for so(1,3), K(a, b) = K(b, a)', ierr == SL_OK .and. &
        abs(k(1, 1) + k(2, 2) + k(3, 3) + k(4, 4) + k(5, 5) + k(6, 6)) < 1.0e-9_c_double .and. &
        maxval(abs(k - transpose(k))) < 1.0e-12_c_double)
    call sl_lie_span_distance(ctx, j, j(:, :, 1:3), dist, ierr)
    call check('span distance to a subset of the generators is 1', ierr == SL_OK .and. &
        abs(dist - 1) < 1.0e-9_c_double)

    call sl_symmetry_result_save(res, path, ierr)
    call expect_ok('sl_symmetry_result_save', ierr)
    call sl_symmetry_result_load(ctx, path, back, ierr)
    call expect_ok('sl_symmetry_result_load', ierr)
    call sl_symmetry_result_generators(back, j2)
    call check('loaded generators are equal', maxval(abs(j2 - j)) == 0 .and. &
        sl_symmetry_result_name(back) == 'so(1,3)')
    call sl_symmetry_result_export_json(back, path // '.json', ierr)
    call check('export_json', ierr == SL_OK)
    call sl_symmetry_result_export_csv(back, path // '.csv', ierr)
    call check('export_csv', ierr == SL_OK)
    call sl_symmetry_result_write_ppm(back, SL_SYM_PICTURE_GENERATORS, path // '.ppm', ierr)
    call check('write_ppm', ierr == SL_OK)
    call sl_symmetry_result_destroy(back)
    call sl_symmetry_result_destroy(res)
    call check('destroy nulls the handle', .not. sl_associated(res))
    open(newunit=u, file=path, status='old', iostat=ierr)
    if (ierr == 0) close(u, status='delete')
    open(newunit=u, file=path // '.json', status='old', iostat=ierr)
    if (ierr == 0) close(u, status='delete')
    open(newunit=u, file=path // '.csv', status='old', iostat=ierr)
    if (ierr == 0) close(u, status='delete')
    open(newunit=u, file=path // '.ppm', status='old', iostat=ierr)
    if (ierr == 0) close(u, status='delete')
  end subroutine lorentz

  ! G2 from the 3-form on triples: exact, then trained with a scan N_g = 14, 15.
  ! Quick mode (valgrind): so(4) from |x|^2 on R^4 instead, trained at N_g = 6.
  subroutine g2()
    type(sl_symmetry_opts) :: o
    type(sl_symmetry_result) :: res
    real(c_double), allocatable :: j(:, :, :), j2(:, :, :), e(:)
    real(c_double) :: dist, kev
    integer :: ierr, d
    character(8) :: what
    what = 'G2'
    d = 14
    kev = -4
    if (quick()) then
      what = 'so(4)'
      d = 6
      kev = -2
    end if
    call sl_symmetry_opts_create(ctx, o)
    call oracle(o)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call expect_ok(trim(what) // ' exact', ierr)
    call check(trim(what) // ' exact: dimension', sl_symmetry_result_dim(res) == d)
    call sl_symmetry_result_killing_eigenvalues(res, e)
    call check(trim(what) // ' exact: g^-1 K = -(n - 2) or -4', maxval(abs(e - kev)) < 1.0e-8_c_double)
    call sl_symmetry_result_generators(res, j)
    call sl_symmetry_result_destroy(res)
    call sl_symmetry_opts_destroy(o)

    call sl_symmetry_opts_create(ctx, o, ierr)
    call oracle(o)
    call sl_symmetry_opts_set_solver(o, SL_SYM_TRAINED, ierr)
    call sl_symmetry_opts_set_closure(o, SL_SYM_CLOSURE_OFF, .false., ierr)
    if (quick()) then
      call sl_symmetry_opts_set_generators(o, d, ierr)
    else
      call sl_symmetry_opts_set_scan(o, d, d + 1, ierr)
    end if
    call sl_symmetry_opts_set_seed(o, 11_c_int64_t, ierr)
    call check(trim(what) // ' trained options', ierr == SL_OK)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call expect_ok(trim(what) // ' trained: ' // sl_ctx_errmsg(ctx), ierr)
    call check(trim(what) // ' trained: dimension', sl_symmetry_result_dim(res) == d)
    call check(trim(what) // ' trained: the loss fell', &
        sl_symmetry_result_loss(res, SL_SYM_LOSS_TOTAL) < &
        1.0e-3_c_double * sl_symmetry_result_initial_loss(res))
    call sl_symmetry_result_generators(res, j2)
    call sl_lie_span_distance(ctx, j, j2, dist, ierr)
    call check(trim(what) // ': trained and exact spans agree', ierr == SL_OK .and. &
        dist < 1.0e-6_c_double)
    call sl_symmetry_result_destroy(res)
    call sl_symmetry_opts_destroy(o)
  end subroutine g2

  subroutine oracle(o)
    type(sl_symmetry_opts), intent(in) :: o
    if (quick()) then
      call sl_symmetry_opts_oracle_quadratic(o, 4)
    else
      call sl_symmetry_opts_oracle_octonion_3form(o)
    end if
  end subroutine oracle

  ! Oracles written in Fortran, through c_funloc.
  subroutine fortran_oracles()
    type(sl_symmetry_opts) :: o
    type(sl_symmetry_result) :: res
    real(c_double), target :: x(4, 60)
    integer :: ierr, nneg, npos, nzero, i
    type(c_funptr) :: f   ! a variable: c_funloc as an actual argument puts the address in .rodata (a text relocation)
    call sl_symmetry_opts_create(ctx, o)
    f = c_funloc(minkowski)
    call sl_symmetry_opts_oracle_function(o, 4, 1, 1, f, c_null_ptr, ierr)
    call check('a Fortran C-callable oracle is accepted', ierr == SL_OK)
    do i = 1, 60
      call sl_rng_fill_normal(3_c_int64_t, int(4 * i, c_int64_t), 0.0_c_double, 1.0_c_double, &
          x(:, i))
    end do
    call sl_symmetry_opts_set_samples(o, x, ierr)
    call check('sample points x(n, m)', ierr == SL_OK)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call expect_ok('discovery with the Fortran oracle: ' // sl_ctx_errmsg(ctx), ierr)
    call sl_symmetry_result_signature(res, nneg, npos, nzero)
    call check('the Fortran Minkowski oracle gives so(1,3)', ncalls > 0 .and. &
        sl_symmetry_result_dim(res) == 6 .and. nneg == 3 .and. npos == 3)
    call sl_symmetry_result_destroy(res)
    call sl_symmetry_opts_destroy(o)

    call sl_symmetry_opts_create(ctx, o)
    f = c_funloc(sum_of_squares)
    call sl_symmetry_opts_oracle_graph(o, 3, 1, 1, f, c_null_ptr, ierr)
    call sl_symmetry_opts_set_samples_count(o, 50_c_int64_t, ierr)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call expect_ok('discovery with the Fortran graph oracle: ' // sl_ctx_errmsg(ctx), ierr)
    call check('the Fortran graph oracle |x|^2 on R^3 gives so(3)', sl_symmetry_result_dim(res) == 3 &
        .and. sl_symmetry_result_is_compact(res) .and. sl_symmetry_result_name(res) == 'so(3)')
    call sl_symmetry_result_destroy(res)
    call sl_symmetry_opts_destroy(o)
  end subroutine fortran_oracles

  ! u(2) from the Hermitian form (H absent: the identity), and with H given.
  subroutine hermitian()
    type(sl_symmetry_opts) :: o
    type(sl_symmetry_result) :: res
    complex(c_double_complex) :: h(2, 2)
    integer :: ierr
    call sl_symmetry_opts_create(ctx, o)
    call sl_symmetry_opts_oracle_hermitian(o, 2, ierr=ierr)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call check('Hermitian form on C^2: u(2), dimension 4', ierr == SL_OK .and. &
        sl_symmetry_result_dim(res) == 4 .and. sl_symmetry_result_centre_dim(res) == 1)
    call sl_symmetry_result_destroy(res)
    call sl_symmetry_opts_destroy(o)
    h = 0
    h(1, 1) = 1
    h(2, 2) = -1
    call sl_symmetry_opts_create(ctx, o)
    call sl_symmetry_opts_oracle_hermitian(o, 2, h, ierr)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call check('H = diag(1, -1): u(1,1), dimension 4, not compact', ierr == SL_OK .and. &
        sl_symmetry_result_dim(res) == 4 .and. .not. sl_symmetry_result_is_compact(res))
    call sl_symmetry_result_destroy(res)
    call sl_symmetry_opts_destroy(o)
  end subroutine hermitian

  ! The losses on W = (E_12, E_21) and W = (1, 2 1), 2 x 2 (Forestano et al.
  ! 2023, eqs. (5)-(7) and the closure term): w(j, i, a) = (W_a)_ij.
  subroutine losses()
    type(sl_graph) :: g
    type(sl_node) :: w, w2, c, ln, lo, ls, lc, lq, ln2, lo2, ls2
    type(sl_plan) :: p
    real(c_double) :: wv(2, 2, 2), wv2(2, 2, 2), cz(2, 1)
    integer :: st
    wv = 0
    wv(2, 1, 1) = 1          ! (W_0)_01 = 1
    wv(1, 2, 2) = 1          ! (W_1)_10 = 1
    wv2 = 0
    wv2(1, 1, 1) = 1
    wv2(2, 2, 1) = 1
    wv2(1, 1, 2) = 2
    wv2(2, 2, 2) = 2
    cz = 0
    call sl_graph_create(ctx, g)
    w = sl_graph_constant(g, sl_c_shape(shape(wv)), wv)
    w2 = sl_graph_constant(g, sl_c_shape(shape(wv2)), wv2)
    c = sl_graph_constant(g, sl_c_shape(shape(cz)), cz)
    ln = sl_symmetry_loss_normalisation(g, w)
    lo = sl_symmetry_loss_orthogonality(g, w)
    ls = sl_symmetry_loss_sparsity(g, w)
    lc = sl_symmetry_loss_closure(g, w, c, .false.)
    lq = sl_symmetry_loss_closure(g, w, c, .true.)
    ln2 = sl_symmetry_loss_normalisation(g, w2)
    lo2 = sl_symmetry_loss_orthogonality(g, w2)
    ls2 = sl_symmetry_loss_sparsity(g, w2)
    call check('losses built: ' // sl_ctx_errmsg(ctx), sl_graph_status(g) == SL_OK)
    call sl_plan_create(g, [ln, lo, ls, lc, lq, ln2, lo2, ls2], p, st)
    call sl_plan_run(p, st)
    call expect_ok('loss plan', st)
    call check_close('normalisation (E12, E21) = 2', sl_plan_scalar(p, 0), 2.0_c_double, 1.0e-14_c_double)
    call check_close('orthogonality (E12, E21) = 0', sl_plan_scalar(p, 1), 0.0_c_double, 1.0e-14_c_double)
    call check_close('sparsity (E12, E21) = 0', sl_plan_scalar(p, 2), 0.0_c_double, 1.0e-14_c_double)
    call check_close('closure, C = 0: |[E12, E21]|^2 = 2', sl_plan_scalar(p, 3), 2.0_c_double, &
        1.0e-14_c_double)
    call check_close('closure quartic = .true.: 4', sl_plan_scalar(p, 4), 4.0_c_double, 1.0e-14_c_double)
    call check_close('normalisation (1, 2 1) = 36', sl_plan_scalar(p, 5), 36.0_c_double, 1.0e-14_c_double)
    call check_close('orthogonality (1, 2 1) = Tr(2)^2 = 16', sl_plan_scalar(p, 6), 16.0_c_double, &
        1.0e-14_c_double)
    call check_close('sparsity (1, 2 1) = 2 + 32', sl_plan_scalar(p, 7), 34.0_c_double, 1.0e-14_c_double)
    call sl_plan_destroy(p)
    call sl_graph_destroy(g)
  end subroutine losses

  ! The Hamiltonian losses on a (B, 2) batch z (Fortran zf(2, B)): the HNN
  ! loss of H = (q^2 + p^2)/2 against zdot = (p, -q) is 0, the Poisson loss of
  ! the map Q = 2q, P = p is ({Q, P} - 1)^2 = 1.
  subroutine hamiltonian_losses()
    integer, parameter :: nb = 5
    type(sl_graph) :: g
    type(sl_node) :: z, zdot, q, pm, h, lhnn, lpois
    type(sl_plan) :: p
    real(c_double) :: zf(2, nb), zdf(2, nb)
    integer :: st, i
    do i = 1, nb
      zf(1, i) = 0.3_c_double * i - 0.7_c_double
      zf(2, i) = 1.1_c_double - 0.2_c_double * i
    end do
    zdf(1, :) = zf(2, :)
    zdf(2, :) = -zf(1, :)
    call sl_graph_create(ctx, g)
    z = sl_graph_constant(g, sl_c_shape(shape(zf)), zf)
    zdot = sl_graph_constant(g, sl_c_shape(shape(zdf)), zdf)
    q = sl_graph_slice(g, z, 1, 0_c_int64_t, 1_c_int64_t)
    pm = sl_graph_slice(g, z, 1, 1_c_int64_t, 2_c_int64_t)
    h = sl_graph_mul_scalar(g, sl_graph_sum_axes(g, sl_graph_square(g, z), [1]), 0.5_c_double)
    lhnn = sl_loss_hnn(g, h, z=z, zdot=zdot)
    lpois = sl_loss_poisson(g, sl_graph_mul_scalar(g, q, 2.0_c_double), pm, z)
    call check('Hamiltonian losses built: ' // sl_ctx_errmsg(ctx), sl_graph_status(g) == SL_OK)
    call sl_plan_create(g, [lhnn, lpois], p, st)
    call sl_plan_run(p, st)
    call expect_ok('Hamiltonian loss plan', st)
    call check_close('HNN loss of the exact oscillator = 0', sl_plan_scalar(p, 0), 0.0_c_double, 1.0e-15_c_double)
    call check_close('Poisson loss of Q = 2q, P = p = 1', sl_plan_scalar(p, 1), 1.0_c_double, 1.0e-14_c_double)
    call sl_plan_destroy(p)
    call sl_graph_destroy(g)
  end subroutine hamiltonian_losses

  subroutine errors()
    type(sl_symmetry_opts) :: o
    type(sl_symmetry_result) :: res
    integer :: ierr
    call sl_symmetry_opts_create(ctx, o)
    call sl_discover_symmetries(ctx, o, res, ierr)
    call check('no oracle: SL_ERR_STATE', ierr == SL_ERR_STATE .and. .not. sl_associated(res))
    call sl_symmetry_opts_oracle_quadratic(o, 3, eta, ierr)
    call check('G of the wrong size: SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    call sl_symmetry_opts_oracle_quadratic(o, 0, ierr=ierr)
    call check('n = 0: SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_symmetry_opts_set_weights(o, 1.0_c_double, 1.0_c_double, -1.0_c_double, &
        1.0_c_double, 0.0_c_double, ierr)
    call check('a negative weight: SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_symmetry_opts_destroy(o)
    call sl_symmetry_opts_destroy(o)
    call check('destroy twice is harmless', .not. sl_associated(o))
    call sl_symmetry_result_load(ctx, 'build/tests/no-such-file.slr', res, ierr)
    call check('missing file: SL_ERR_IO', ierr == SL_ERR_IO .and. .not. sl_associated(res))
  end subroutine errors

end program test_fortran_symmetries
