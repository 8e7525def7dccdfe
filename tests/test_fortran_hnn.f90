! Fortran interface, Hamiltonian neural networks: the option mirrors (sizes
! and defaults against C), a separable model trained on the harmonic
! oscillator (points as columns z(2, m)), its energy and field, a Yoshida
! rollout with its energy drift, losses, a save/load round trip, and errors
! reaching ierr (ReLU refused, NaN data).
program test_fortran_hnn
  use symlearn
  use checks
  use, intrinsic :: iso_c_binding, only: c_sizeof
  implicit none

  type(sl_ctx) :: ctx
  call sl_ctx_create(ctx)
  call mirrors()
  call train_and_roll()
  call errors()
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  subroutine mirrors()
    type(sl_hnn_opts) :: o
    type(sl_hnn_train_opts) :: t
    type(sl_hnn_rollout_opts) :: r
    call sl_hnn_opts_init(o)
    call sl_hnn_train_opts_init(t)
    call sl_hnn_rollout_opts_init(r)
    call check('sl_hnn_opts size', o%size == c_sizeof(o) .and. c_sizeof(o) == 56)
    call check('sl_hnn_train_opts size', t%size == c_sizeof(t) .and. c_sizeof(t) == 32)
    call check('sl_hnn_rollout_opts size', r%size == c_sizeof(r) .and. c_sizeof(r) == 32)
    call check('hnn defaults', o%depth == 2 .and. o%hidden == 64 .and. o%activation == SL_ACT_TANH &
               .and. o%separable == 0 .and. o%dissipative == 0)
    call check('train defaults', t%epochs == 100 .and. t%batch == 0 .and. t%log_every == 10)
    call check('rollout defaults', r%method == SL_HNN_AUTO .and. r%dissipation == 1 .and. r%tol == 1d-12 &
               .and. r%max_iter == 100)
  end subroutine mirrors

  subroutine train_and_roll()
    integer, parameter :: m = 128
    type(sl_hnn_opts) :: o
    type(sl_hnn_train_opts) :: t
    type(sl_optim_opts) :: ao
    type(sl_hnn) :: h, h2
    real(c_double) :: z(2, m), zdot(2, m), f(2, m), e(m), e2(m), traj(2, 401), loss, drift, flat(2 * m)
    real(c_double), allocatable :: w(:), w2(:), losses(:)
    integer :: st, i
    call sl_rng_fill_uniform(7_c_int64_t, 0_c_int64_t, -1.5d0, 1.5d0, flat)
    z = reshape(flat, [2, m])
    do i = 1, m
      zdot(1, i) = z(2, i)    ! qdot = p
      zdot(2, i) = -z(1, i)   ! pdot = -q
    end do
    call sl_hnn_opts_init(o)
    o%n = 1
    o%hidden = 16
    o%separable = 1
    call sl_hnn_create(ctx, o, h, st)
    call expect_ok('sl_hnn_create', st)
    call check('separable', sl_hnn_is_separable(h) .and. .not. sl_hnn_is_dissipative(h))
    call check('half size', sl_hnn_half_size(h) == 1)
    call sl_hnn_train_opts_init(t)
    t%epochs = 300
    t%log_every = 0
    call sl_optim_opts_init(ao, SL_OPTIM_ADAM)
    ao%lr = 1d-2
    call sl_hnn_train(h, int(m, c_int64_t), z, zdot, ao, t, loss, st)
    call expect_ok('sl_hnn_train', st)
    call check('trained', loss < 1d-2)
    call sl_hnn_losses(h, losses)
    call check('losses', size(losses) == 300 .and. losses(300) < losses(1))
    call sl_hnn_field(h, int(m, c_int64_t), z, f, st)
    call expect_ok('sl_hnn_field', st)
    call check('field fits', maxval(abs(f - zdot)) < 0.3d0)
    call sl_hnn_energy(h, int(m, c_int64_t), z, e, st)
    call expect_ok('sl_hnn_energy', st)
    call sl_hnn_rollout(h, [1d0, 0d0], 0.05d0, 401_c_int64_t, 1_c_int64_t, traj=traj, drift=drift, ierr=st)
    call expect_ok('sl_hnn_rollout', st)
    call check('yoshida drift small', drift < 1d-4)
    call check('trajectory columns', abs(traj(1, 1) - 1) < 1d-15 .and. abs(traj(2, 1)) < 1d-15)
    call sl_hnn_save(h, 'build/tests/test_fortran_hnn.slh', st)
    call expect_ok('sl_hnn_save', st)
    call sl_hnn_load(ctx, 'build/tests/test_fortran_hnn.slh', h2, st)
    call expect_ok('sl_hnn_load', st)
    allocate(w(sl_hnn_nweights(h)), w2(sl_hnn_nweights(h2)))
    call sl_hnn_get_weights(h, w)
    call sl_hnn_get_weights(h2, w2)
    call check('weights round trip', all(w == w2))
    call sl_hnn_energy(h2, int(m, c_int64_t), z, e2, st)
    call check('energy round trip', all(e == e2))
    call sl_hnn_set_weights(h2, w2, st)
    call expect_ok('sl_hnn_set_weights', st)
    call sl_hnn_destroy(h2)
    call sl_hnn_destroy(h)
    call check('destroy nulls', .not. sl_associated(h))
  end subroutine train_and_roll

  subroutine errors()
    type(sl_hnn_opts) :: o
    type(sl_hnn) :: h
    real(c_double) :: z(2, 4), zdot(2, 4), d(4), g(2, 4)
    integer :: st
    z = 0.5d0
    zdot = 0
    call sl_hnn_opts_init(o)
    call sl_hnn_create(ctx, o, h, st)
    call check('n unset refused', st == SL_ERR_ARG .and. index(sl_ctx_errmsg(ctx), 'sl_hnn_create') == 1)
    o%n = 1
    o%activation = SL_HNN_ACT_RELU
    call sl_hnn_create(ctx, o, h, st)
    call expect_ok('relu model', st)
    call sl_hnn_train(h, 4_c_int64_t, z, zdot, ierr=st)
    call check('relu refused', st == SL_ERR_ARG .and. index(sl_ctx_errmsg(ctx), 'second derivative') > 0)
    z(2, 3) = ieee_nan()
    o%activation = SL_ACT_TANH
    call sl_hnn_destroy(h)
    call sl_hnn_create(ctx, o, h, st)
    call sl_hnn_train(h, 4_c_int64_t, z, zdot, ierr=st)
    call check('NaN refused', st == SL_ERR_NONFINITE .and. index(sl_ctx_errmsg(ctx), 'sl_hnn_train: z[2][1]') == 1)
    call sl_hnn_dissipation(h, 4_c_int64_t, zdot, d, g, st)
    call check('no D', st == SL_ERR_STATE)
    call sl_hnn_destroy(h)
  end subroutine errors

  real(c_double) function ieee_nan()
    use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_quiet_nan
    ieee_nan = ieee_value(0d0, ieee_quiet_nan)
  end function ieee_nan
end program test_fortran_hnn
