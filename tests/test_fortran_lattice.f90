! Fortran interface, lattice: a gauge field owned by Fortran read in place
! (u(row, col, mu, x, t), the layout descriptor's CUSTOM order), L-CNN
! predictions back in Fortran arrays, gauge invariance under a transformation
! applied in Fortran, save/load, training with a Fortran progress callback;
! then the rank/type families (sl_gauge_wrap, sl_gauge_export of complex and
! interleaved real arrays, sl_gauge_copy_canonical, sl_lcnn_predict of any
! rank), the SU(N) utilities, NERSC files and the layers as graph ops.
module lattice_progress
  use, intrinsic :: iso_c_binding, only: c_int, c_double, c_ptr, c_associated
  implicit none
  private
  integer, public :: epochs_seen = 0
  logical, public :: user_seen = .false.
  public :: on_epoch
contains
  subroutine on_epoch(user, epoch, train_loss, val_loss) bind(c)
    type(c_ptr), value :: user
    integer(c_int), value :: epoch
    real(c_double), value :: train_loss, val_loss
    epochs_seen = max(epochs_seen, int(epoch))
    user_seen = user_seen .or. (c_associated(user) .and. train_loss >= 0 .and. val_loss >= 0)
  end subroutine on_epoch
end module lattice_progress

program test_fortran_lattice
  use symlearn
  use checks
  use lattice_progress, only: on_epoch, epochs_seen, user_seen
  use, intrinsic :: iso_c_binding, only: c_funloc, c_loc, c_ptr, c_size_t, c_char, c_null_char, c_intptr_t
  implicit none

  interface
    function layout(s, f) bind(c, name='sl_test_layout')
      import :: c_size_t, c_char
      integer(c_size_t) :: layout
      character(kind=c_char), intent(in) :: s(*), f(*)
    end function layout
  end interface

  integer, parameter :: nc = 2, nd = 2, lx = 8, lt = 8, ncfg = 10, nval = 2
  integer(c_int64_t), parameter :: vol = lx * lt
  integer(c_int64_t), parameter :: seed = 20240611_c_int64_t
  real(c_double), parameter :: tol = 1.0e-12_c_double
  character(*), parameter :: model_path = 'build/tests/fortran_lcnn.slm'
  character(*), parameter :: nersc_path = 'build/tests/fortran_su3.nersc'

  type(sl_ctx) :: ctx
  type(sl_gauge) :: hb, ug
  type(sl_gauge_layout) :: lay
  type(sl_lcnn) :: netb
  ! The host arrays: u(row, col, mu, x, t); canonical c(col, row, mu, t, x).
  complex(c_double_complex), target :: u(nc, nc, nd, lx, lt), ut(nc, nc, nd, lx, lt)
  complex(c_double_complex), target :: c(nc, nc, nd, lt, lx)
  real(c_double) :: plaq_f(lx, lt), pb(lx, lt), pb_gt(lx, lt)
  integer :: ierr

  call sl_ctx_create(ctx, ierr)
  call expect_ok('sl_ctx_create', ierr)
  call host_field()
  call colour_slowest()
  call models()
  call families()
  call su_n()
  call nersc()
  call layers()
  call sl_gauge_destroy(ug)
  call sl_gauge_destroy(hb)
  call sl_lcnn_destroy(netb)
  call check('handles are null after destroy', .not. (sl_associated(ug) .or. sl_associated(netb)))
  call check('everything freed', sl_ctx_bytes_in_use(ctx) == 0)
  call sl_ctx_destroy(ctx)
  call check_done()

contains

  ! A heat-bath configuration exported into u, wrapped in place.
  subroutine host_field()
    real(c_double) :: plaq_lib, plaq_hb, d, tr
    integer(c_int64_t) :: dims(2)
    integer :: ix, it, mu
    call sl_gauge_create(ctx, [int(lx, c_int64_t), int(lt, c_int64_t)], nc, hb, ierr)
    call expect_ok('sl_gauge_create', ierr)
    call sl_gauge_link_trace(hb, tr, ierr)
    call check('a new field is U = 1', ierr == SL_OK .and. abs(tr - 1) < tol)
    call sl_gauge_randomize(hb, seed, ierr)
    call expect_ok('sl_gauge_randomize', ierr)
    call sl_gauge_heatbath(hb, 2.2_c_double, 20, 0, seed + 1, ierr)
    call expect_ok('sl_gauge_heatbath', ierr)
    call sl_gauge_layout_init(lay)
    lay%order = SL_GAUGE_ORDER_CUSTOM
    lay%nd = nd
    lay%nc = nc
    lay%dims(1:2) = [lx, lt]
    lay%site_order = SL_SITES_LEX_X_FASTEST
    lay%direction_major = 0
    lay%colour_major = 1
    u = 0
    call sl_gauge_export(hb, lay, u, ierr)
    call expect_ok('sl_gauge_export into u', ierr)
    call sl_gauge_copy_canonical(hb, c, ierr)
    call expect_ok('sl_gauge_copy_canonical', ierr)
    d = 0
    do it = 1, lt
      do ix = 1, lx
        do mu = 1, nd
          d = max(d, maxval(abs(u(:, :, mu, ix, it) - transpose(c(:, :, mu, it, ix)))))
        end do
      end do
    end do
    call check('exported u(r, c, mu, x, t) = canonical c(c, r, mu, t, x)', d == 0)
    call sl_gauge_wrap(ctx, lay, u, ug, ierr)
    call expect_ok('sl_gauge_wrap(u): ' // sl_ctx_errmsg(ctx), ierr)
    call check('u is read in place', sl_gauge_in_place(ug))
    call sl_gauge_dims(ug, dims)
    call check('wrapped field: nd, nc, volume, dims', sl_gauge_nd(ug) == nd .and. &
        sl_gauge_nc(ug) == nc .and. sl_gauge_volume(ug) == vol .and. all(dims == [lx, lt]))
    call plaquettes(u, plaq_f)
    call sl_gauge_plaquette(ug, plaq_lib, ierr)
    call expect_ok('sl_gauge_plaquette(u)', ierr)
    call sl_gauge_plaquette(hb, plaq_hb, ierr)
    call check('average plaquette: Fortran = library (u) = library (canonical)', &
        abs(sum(plaq_f) / vol - plaq_lib) < tol .and. abs(plaq_lib - plaq_hb) < tol)
  end subroutine host_field

  ! A Fortran complex(dp) w(vol, nd, N, N), colour indices slowest (issue 8.5):
  ! explicit colour strides read it in place; the loop measurements on it.
  subroutine colour_slowest()
    complex(c_double_complex), target :: w(vol, nd, nc, nc)
    type(sl_gauge_layout), target :: lw
    type(sl_gauge) :: uw, cold
    real(c_double) :: p_w, p_hb, w11, poly(2), short(1)
    integer :: ix, it, mu, r, cc
    do it = 1, lt
      do ix = 1, lx
        do mu = 1, nd
          do cc = 1, nc
            do r = 1, nc
              w(ix + lx * (it - 1), mu, r, cc) = u(r, cc, mu, ix, it)
            end do
          end do
        end do
      end do
    end do
    call sl_gauge_layout_init(lw)
    call check('1.1 layout fields default to 0', all(lw%colour_strides == 0) .and. lw%link_stride == 0 .and. &
        lw%element == SL_GAUGE_ELEMENT_COMPLEX .and. all(lw%directions == 0))
    call new_field('colour_strides', c_loc(lw), c_loc(lw%colour_strides))
    call new_field('link_stride', c_loc(lw), c_loc(lw%link_stride))
    call new_field('element', c_loc(lw), c_loc(lw%element))
    call new_field('directions', c_loc(lw), c_loc(lw%directions))
    lw%order = SL_GAUGE_ORDER_CUSTOM
    lw%nd = nd
    lw%nc = nc
    lw%dims(1:2) = [lx, lt]
    lw%site_order = SL_SITES_LEX_X_FASTEST
    lw%direction_major = 1
    lw%link_stride = 1
    lw%colour_strides = [nd * vol, nd * vol * nc]
    call sl_gauge_wrap(ctx, lw, w, uw, ierr)
    call expect_ok('sl_gauge_wrap(w(vol, nd, N, N)): ' // sl_ctx_errmsg(ctx), ierr)
    call check('w(vol, nd, N, N) is read in place', sl_gauge_in_place(uw))
    call sl_gauge_plaquette(uw, p_w)
    call sl_gauge_plaquette(hb, p_hb)
    call check('colour-slowest plaquette = canonical plaquette', abs(p_w - p_hb) < tol)
    call sl_gauge_wilson_loop(uw, 0, 1, 1, 1, w11, ierr)
    call check('sl_gauge_wilson_loop 1 x 1 = plaquette', ierr == SL_OK .and. abs(w11 - p_w) < tol)
    call sl_gauge_wilson_loop(uw, 0, 1, lx + 1, 1, w11, ierr)
    call check('sl_gauge_wilson_loop r > L: SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_gauge_create(ctx, [int(lx, c_int64_t), int(lt, c_int64_t)], nc, cold, ierr)
    call sl_gauge_polyakov(cold, 1, poly, ierr)
    call check('sl_gauge_polyakov on a cold start = (1, 0)', ierr == SL_OK .and. poly(1) == 1 .and. poly(2) == 0)
    call sl_gauge_polyakov(cold, 1, short, ierr)
    call check('sl_gauge_polyakov with out(1): SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    call sl_gauge_destroy(cold)
    call sl_gauge_destroy(uw)
  end subroutine colour_slowest

  subroutine new_field(f, base, at)
    character(*), intent(in) :: f
    type(c_ptr), intent(in) :: base, at
    integer(c_intptr_t) :: foff
    foff = transfer(at, foff) - transfer(base, foff)
    call check('sl_gauge_layout%' // f // ' (1.1): offset as in C', &
        foff == int(layout('sl_gauge_layout 1.1' // c_null_char, f // c_null_char), c_intptr_t))
  end subroutine new_field

  subroutine models()
    type(sl_gauge) :: ucan, ugt, u1, unit, ubad, uwrong
    type(sl_gauge_layout) :: canon
    type(sl_lcnn) :: neta, netc, netl
    type(sl_lcnn_opts) :: opts
    type(sl_lcnn_train_opts) :: topts
    type(sl_lcnn_fit_summary) :: fsum
    complex(c_double_complex), target :: uid(nc, nc, nd, lx, lt), small(nc, nc, nd, lx)
    complex(c_double_complex) :: om(nc, nc, vol), g(nc, nc, lx, lt)
    complex(c_double_complex), allocatable :: links(:, :, :, :, :, :)
    real(c_double) :: pc(lt, lx), pa(lx, lt), pb_can(lt, lx), pb_arr(lt, lx), pb_id(lx, lt)
    real(c_double) :: pb_unit(lt, lx), pb_load(lx, lt), pwrong(lx, lt), pred(lx, lt)
    real(c_double), allocatable :: w(:), targets(:, :, :), pv(:, :, :)
    real(c_double) :: plaq_lib, mse0, mse1, d
    integer(c_int64_t) :: dims(2), np
    integer, target :: user
    integer :: ix, it, mu, k
    ! Model A: one GCMConv layer (1 -> 1 channel, K = 2) with hand-set weights
    ! computing the per-site plaquette Re Tr P / 2.
    call sl_lcnn_opts_init(opts)
    opts%nd = nd
    opts%nc = nc
    opts%nlayers = 1
    opts%channels(1) = 1
    opts%kernels(1) = 2
    opts%seed = seed
    call sl_lcnn_create(ctx, opts, neta, ierr)
    call expect_ok('sl_lcnn_create (model A)', ierr)
    np = sl_lcnn_nparams(neta)
    call check('model A has 1*3*5 + 2 + 1 = 18 weights', np == 18 .and. &
        sl_gcmconv_terms(nd, 1_c_int64_t, 2, 0) == 2)
    allocate(w(np))
    w = 0
    w(5) = 1
    w(16) = 0.5_c_double
    call sl_lcnn_set_params(neta, w, ierr)
    call expect_ok('sl_lcnn_set_params', ierr)
    call sl_lcnn_set_params(neta, w(1:17), ierr)
    call check('sl_lcnn_set_params of the wrong size: SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    w = -1
    call sl_lcnn_get_params(neta, w, ierr)
    call check('sl_lcnn_get_params', ierr == SL_OK .and. w(5) == 1 .and. w(16) == 0.5_c_double &
        .and. sum(abs(w)) == 1.5_c_double)
    call sl_lcnn_predict(neta, ug, pc, ierr)
    call expect_ok('sl_lcnn_predict (model A on u)', ierr)
    pa = transpose(pc)
    call check('model A = Fortran per-site plaquette Re Tr P / 2 (1e-12)', &
        maxval(abs(pa - plaq_f)) < tol)
    call sl_gauge_plaquette(ug, plaq_lib)
    call check('model A mean = sl_gauge_plaquette', abs(sum(pa) / vol - plaq_lib) < tol)

    lay%colour_major = 0
    call sl_gauge_wrap(ctx, lay, u, uwrong, ierr)
    call expect_ok('sl_gauge_wrap (row-major colour, deliberately wrong)', ierr)
    call sl_lcnn_predict(neta, uwrong, pc, ierr)
    pwrong = transpose(pc)
    call check('the row-major description gives other plaquettes', &
        maxval(abs(pwrong - plaq_f)) > 1.0e-3_c_double)
    call sl_gauge_destroy(uwrong)
    lay%colour_major = 1

    ! Model B: random weights, two layers.
    call sl_lcnn_opts_init(opts)
    opts%nd = nd
    opts%nc = nc
    opts%nlayers = 2
    opts%channels(1:2) = [4, 2]
    opts%kernels(1:2) = [2, 3]
    opts%seed = seed + 7
    call sl_lcnn_create(ctx, opts, netb, ierr)
    call expect_ok('sl_lcnn_create (model B)', ierr)
    call sl_lcnn_predict(netb, ug, pc, ierr)
    call expect_ok('sl_lcnn_predict (model B on u)', ierr)
    pb = transpose(pc)
    call check('model B predictions vary over the sites', maxval(pb) - minval(pb) > 1.0e-6_c_double)
    call sl_lcnn_predict(netb, hb, pb_can, ierr)
    call sl_gauge_layout_init(canon)
    canon%order = SL_GAUGE_ORDER_CANONICAL
    canon%nd = nd
    canon%nc = nc
    canon%dims(1:2) = [lx, lt]
    call sl_gauge_wrap(ctx, canon, c, ucan, ierr)
    call expect_ok('sl_gauge_wrap (canonical Fortran array)', ierr)
    call sl_lcnn_predict(netb, ucan, pb_arr, ierr)
    d = max(maxval(abs(pb - transpose(pb_can))), maxval(abs(pb - transpose(pb_arr))))
    call check('model B: u (CUSTOM, in place) = canonical fields, identical', d == 0)
    call sl_gauge_destroy(ucan)

    ! A random SU(2) gauge transformation applied in Fortran:
    ! U(x, mu) -> g(x) U(x, mu) g(x + mu)^+ (sl_su_random gives C matrices,
    ! i.e. Fortran transposes).
    call sl_su_random(ctx, nc, vol, seed + 3, om, ierr)
    call expect_ok('sl_su_random', ierr)
    k = 0
    do it = 1, lt
      do ix = 1, lx
        k = k + 1
        g(:, :, ix, it) = transpose(om(:, :, k))
      end do
    end do
    do it = 1, lt
      do ix = 1, lx
        ut(:, :, 1, ix, it) = matmul(g(:, :, ix, it), matmul(u(:, :, 1, ix, it), &
            conjg(transpose(g(:, :, modulo(ix, lx) + 1, it)))))
        ut(:, :, 2, ix, it) = matmul(g(:, :, ix, it), matmul(u(:, :, 2, ix, it), &
            conjg(transpose(g(:, :, ix, modulo(it, lt) + 1)))))
      end do
    end do
    call check('the transformation changes the links', maxval(abs(ut - u)) > 0.1_c_double)
    call sl_gauge_wrap(ctx, lay, ut, ugt, ierr)
    call expect_ok('sl_gauge_wrap (transformed u): ' // sl_ctx_errmsg(ctx), ierr)
    call sl_lcnn_predict(netb, ugt, pc, ierr)
    pb_gt = transpose(pc)
    call sl_lcnn_predict(neta, ugt, pc, ierr)
    d = max(maxval(abs(pb_gt - pb)), maxval(abs(transpose(pc) - pa)))
    call check('models A and B are gauge invariant (1e-12)', d < tol)

    ! U = 1: every prediction is the model's value on the unit configuration.
    uid = 0
    do it = 1, lt
      do ix = 1, lx
        do mu = 1, nd
          uid(1, 1, mu, ix, it) = 1
          uid(2, 2, mu, ix, it) = 1
        end do
      end do
    end do
    call sl_gauge_wrap(ctx, lay, uid, u1, ierr)
    call expect_ok('sl_gauge_wrap (identity)', ierr)
    call sl_gauge_create(ctx, [int(lx, c_int64_t), int(lt, c_int64_t)], nc, unit, ierr)
    call sl_lcnn_predict(netb, unit, pb_unit, ierr)
    call sl_lcnn_predict(netb, u1, pb_id, ierr)
    call check('U = 1: model B is the same constant everywhere', &
        maxval(abs(pb_id - pb_unit(1, 1))) < tol .and. maxval(abs(pb_unit - pb_unit(1, 1))) < tol)
    call sl_lcnn_predict(neta, u1, pc, ierr)
    call check('U = 1: model A gives Re Tr 1 / 2 = 1 at every site', maxval(abs(pc - 1)) < tol)
    call sl_gauge_destroy(u1)
    call sl_gauge_destroy(unit)

    ! In place means in place: change u, refresh (a no-op here), predict again.
    u = ut
    call sl_gauge_refresh(ug, ierr)
    call expect_ok('sl_gauge_refresh', ierr)
    call sl_lcnn_predict(netb, ug, pc, ierr)
    call check('the wrapped u sees the host''s update', maxval(abs(transpose(pc) - pb_gt)) == 0)

    ! Errors reach Fortran.
    call sl_gauge_wrap(ctx, lay, small, ubad, ierr)
    call check('a too small host array is SL_ERR_SHAPE', ierr == SL_ERR_SHAPE .and. &
        .not. sl_associated(ubad))
    call sl_gauge_wrap(ctx, lay, u(:, :, :, 1:lx:2, :), ubad, ierr)
    call check('a strided array section is SL_ERR_ARG', ierr == SL_ERR_ARG)
    u(1, 1, 1, 3, 5) = 2 * u(1, 1, 1, 3, 5) + 1
    call sl_gauge_wrap(ctx, lay, u, ubad, ierr)
    call check('a non-unitary link is SL_ERR_ARG: ' // sl_ctx_errmsg(ctx), ierr == SL_ERR_ARG)
    u = ut
    call sl_lcnn_predict(netb, ug, pred(1:3, 1), ierr)
    call check('a prediction array of the wrong size is SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)

    ! Save and load.
    call sl_lcnn_save(netb, model_path, ierr)
    call expect_ok('sl_lcnn_save', ierr)
    call sl_lcnn_load(ctx, model_path, netl, ierr)
    call expect_ok('sl_lcnn_load', ierr)
    call sl_lcnn_predict(netl, ugt, pb_load, ierr)
    call check('the loaded model predicts as the saved one', &
        maxval(abs(transpose(pb_load) - pb_gt)) == 0)
    open(newunit=k, file=model_path, status='old', iostat=ierr)
    if (ierr == 0) close(k, status='delete')
    call sl_lcnn_destroy(netl)
    call sl_lcnn_load(ctx, 'build/tests/no-such-model.slm', netl, ierr)
    call check('loading a missing model is SL_ERR_IO', ierr == SL_ERR_IO .and. .not. sl_associated(netl))

    ! Brief training: model C learns the per-site plaquette from ncfg
    ! configurations at beta = 0.5 .. 5 (links(col, row, mu, t, x, i)).
    allocate(links(nc, nc, nd, lt, lx, ncfg), targets(lt, lx, ncfg), pv(lt, lx, nval))
    do k = 1, ncfg
      call sl_gauge_heatbath(hb, 0.5_c_double * k, 5, 0, seed + 100 + k, ierr)
      call sl_gauge_copy_canonical(hb, links(:, :, :, :, :, k), ierr)
      call sl_gauge_export(hb, lay, ut, ierr)
      call plaquettes(ut, plaq_f)
      targets(:, :, k) = transpose(plaq_f)
    end do
    call expect_ok('training data', ierr)
    call sl_lcnn_opts_init(opts)
    opts%nd = nd
    opts%nc = nc
    opts%nlayers = 1
    opts%channels(1) = 2
    opts%kernels(1) = 2
    opts%seed = seed + 11
    call sl_lcnn_create(ctx, opts, netc, ierr)
    call expect_ok('sl_lcnn_create (model C)', ierr)
    dims = [lx, lt]
    call sl_lcnn_predict_batch(netc, int(nval, c_int64_t), dims, &
        links(:, :, :, :, :, ncfg - nval + 1:), pv, ierr)
    call expect_ok('sl_lcnn_predict_batch (before)', ierr)
    mse0 = sum((pv - targets(:, :, ncfg - nval + 1:)) ** 2) / size(pv)
    call sl_lcnn_train_opts_init(topts)
    topts%epochs = 60
    topts%batch = 4
    topts%lr = 2.0e-2_c_double
    topts%seed = seed
    topts%progress = c_funloc(on_epoch)
    topts%progress_user = c_loc(user)
    call sl_lcnn_train(netc, int(ncfg, c_int64_t), int(nval, c_int64_t), dims, links, targets, &
        topts, ierr)
    call expect_ok('sl_lcnn_train: ' // sl_ctx_errmsg(ctx), ierr)
    call sl_lcnn_predict_batch(netc, int(nval, c_int64_t), dims, &
        links(:, :, :, :, :, ncfg - nval + 1:), pv, ierr)
    mse1 = sum((pv - targets(:, :, ncfg - nval + 1:)) ** 2) / size(pv)
    call check('training ran through the Fortran progress callback with its user pointer', &
        epochs_seen >= 1 .and. user_seen)
    call check('training lowers the validation MSE tenfold', mse1 < 0.1_c_double * mse0)
    ! 1.1: the validation fields as their own arrays, and the summary
    call sl_lcnn_fit_summary_init(fsum)
    topts%epochs = 3
    call sl_lcnn_fit(netc, dims, int(ncfg - nval, c_int64_t), links, targets, int(nval, c_int64_t), &
        links(:, :, :, :, :, ncfg - nval + 1:), targets(:, :, ncfg - nval + 1:), topts, fsum, ierr)
    call expect_ok('sl_lcnn_fit: ' // sl_ctx_errmsg(ctx), ierr)
    call check('sl_lcnn_fit summary: 3 epochs, a best epoch, a finite loss', fsum%epochs_run == 3 &
        .and. fsum%best_epoch >= 1 .and. fsum%best_epoch <= 3 .and. fsum%best_val_loss < huge(1.0_c_double))
    call sl_lcnn_predict_batch(netc, 1_c_int64_t, [1_c_int64_t, 2_c_int64_t, 3_c_int64_t, &
        4_c_int64_t, 5_c_int64_t, 6_c_int64_t, 7_c_int64_t], links, pv, ierr)
    call check('more than SL_LATTICE_MAX_DIM dims: SL_ERR_ARG', ierr == SL_ERR_ARG)
    call sl_gauge_destroy(ugt)
    call sl_gauge_destroy(ubad)
    call sl_lcnn_destroy(neta)
    call sl_lcnn_destroy(netc)
    call sl_lcnn_destroy(netl)
  end subroutine models

  ! The rank/type families with the same field in other array shapes.
  subroutine families()
    type(sl_gauge) :: v
    type(sl_gauge_layout) :: canon
    type(sl_lcnn) :: pooled
    type(sl_lcnn_opts) :: opts
    complex(c_double_complex), target :: flat(nc * nc * nd * vol), scratch(10)
    complex(c_double_complex), pointer :: z8(:, :, :, :, :, :, :, :)
    real(c_double), target :: ri(2 * nc * nc * nd * vol)
    real(c_double), pointer :: r2(:, :), r8(:, :, :, :, :, :, :, :), p8(:, :, :, :, :, :, :, :)
    real(c_double), target :: pflat(vol)
    real(c_double) :: p0, pc(lt, lx), pref(lt, lx)
    ! hb moved on (training data): c and the reference predictions anew
    call sl_gauge_copy_canonical(hb, c)
    call sl_lcnn_predict(netb, hb, pref)
    call sl_gauge_layout_init(canon)
    canon%nd = nd
    canon%nc = nc
    canon%dims(1:2) = [lx, lt]
    ! sl_gauge_copy_canonical into rank 1 and rank 8, and the wrong size
    call sl_gauge_copy_canonical(hb, flat, ierr)
    call check('sl_gauge_copy_canonical, rank 1', ierr == SL_OK .and. &
        all(flat == reshape(c, [size(c)])))
    z8(1:2, 1:2, 1:2, 1:2, 1:2, 1:2, 1:2, 1:4) => flat
    z8 = 0
    call sl_gauge_copy_canonical(hb, z8, ierr)
    call check('sl_gauge_copy_canonical, rank 8', ierr == SL_OK .and. &
        all(flat == reshape(c, [size(c)])))
    call sl_gauge_copy_canonical(hb, scratch, ierr)
    call check('sl_gauge_copy_canonical of the wrong size: SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    ! sl_gauge_wrap of a rank-1 complex array and of interleaved real arrays
    call sl_gauge_wrap(ctx, canon, flat, v, ierr)
    call sl_lcnn_predict(netb, v, pc, ierr)
    call check('sl_gauge_wrap, complex rank 1', ierr == SL_OK .and. all(pc == pref))
    call sl_gauge_destroy(v)
    ri = transfer(flat, ri)
    r8(1:2, 1:2, 1:2, 1:2, 1:2, 1:2, 1:4, 1:4) => ri
    call sl_gauge_wrap(ctx, canon, r8, v, ierr)
    call sl_lcnn_predict(netb, v, pc, ierr)
    call check('sl_gauge_wrap, interleaved real rank 8', ierr == SL_OK .and. all(pc == pref))
    call sl_gauge_destroy(v)
    call sl_gauge_wrap(ctx, canon, c_loc(flat), v, ierr)
    call sl_lcnn_predict(netb, v, pc, ierr)
    call check('sl_gauge_wrap of a type(c_ptr)', ierr == SL_OK .and. all(pc == pref))
    call sl_gauge_destroy(v)
    ! sl_gauge_export into interleaved real, complex rank 8 and a type(c_ptr)
    r2(1:2, 1:size(ri) / 2) => ri
    r2 = 0
    call sl_gauge_export(hb, canon, r2, ierr)
    call check('sl_gauge_export, real rank 2', ierr == SL_OK .and. &
        all(transfer(ri, flat) == reshape(c, [size(c)])))
    z8 = 0
    call sl_gauge_export(hb, canon, z8, ierr)
    call check('sl_gauge_export, complex rank 8', ierr == SL_OK .and. &
        all(flat == reshape(c, [size(c)])))
    flat = 0
    call sl_gauge_export(hb, canon, c_loc(flat), ierr)
    call check('sl_gauge_export to a type(c_ptr)', ierr == SL_OK .and. &
        all(flat == reshape(c, [size(c)])))
    call sl_gauge_export(hb, canon, flat(1:vol), ierr)
    call check('sl_gauge_export into too small an array: SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    ! sl_lcnn_predict into rank 1 and rank 8 arrays; a pooled head into a scalar
    call sl_lcnn_predict(netb, ug, pflat, ierr)
    call check('sl_lcnn_predict, rank 1', ierr == SL_OK .and. &
        all(pflat == reshape(transpose(pb_gt), [vol])))
    p8(1:2, 1:2, 1:2, 1:2, 1:2, 1:2, 1:1, 1:1) => pflat
    p8 = 0
    call sl_lcnn_predict(netb, ug, p8, ierr)
    call check('sl_lcnn_predict, rank 8', ierr == SL_OK .and. &
        all(pflat == reshape(transpose(pb_gt), [vol])))
    call sl_lcnn_opts_init(opts)
    opts%nlayers = 1
    opts%channels(1) = 2
    opts%kernels(1) = 2
    opts%head = SL_LCNN_HEAD_POOLED
    call sl_lcnn_create(ctx, opts, pooled, ierr)
    call sl_lcnn_predict(pooled, ug, p0, ierr)
    call check('pooled head: sl_lcnn_predict into a scalar', ierr == SL_OK .and. p0 /= 0)
    pflat = 0
    call sl_lcnn_predict(pooled, ug, pflat(1:1), ierr)
    call check('pooled head: into a rank-1 array of one value', ierr == SL_OK .and. pflat(1) == p0)
    call sl_lcnn_predict(pooled, ug, pflat(1:2), ierr)
    call check('pooled head into 2 values: SL_ERR_SHAPE', ierr == SL_ERR_SHAPE)
    call sl_lcnn_destroy(pooled)
  end subroutine families

  ! SU(N) utilities, the field's data and gauge transformations of it.
  subroutine su_n()
    type(sl_gauge) :: f
    complex(c_double_complex), pointer :: x(:), x3(:, :, :)
    complex(c_double_complex) :: m(3, 3, 4), h(3, 3, 4), e(3, 3, 4), o(nc, nc, vol)
    complex(c_double_complex) :: w(nc, nc, vol, 2), w0(nc, nc, vol, 2)
    real(c_double) :: p0, p1, t0, t1
    integer :: i
    call sl_su_random(ctx, 3, 4_c_int64_t, seed, m, ierr)
    call check('sl_su_random SU(3): unitary', ierr == SL_OK .and. &
        maxval(abs(matmul(m(:, :, 2), conjg(transpose(m(:, :, 2)))) - eye3())) < 1.0e-12_c_double)
    e = m
    e(1, 1, :) = e(1, 1, :) * 1.01_c_double
    call sl_su_reunitarize(ctx, 3, 4_c_int64_t, e, ierr)
    call check('sl_su_reunitarize', ierr == SL_OK .and. &
        maxval(abs(matmul(e(:, :, 3), conjg(transpose(e(:, :, 3)))) - eye3())) < 1.0e-12_c_double)
    h = 0
    call sl_su_exp(ctx, 3, 4_c_int64_t, h, e, ierr)
    call check('sl_su_exp(0) = 1', ierr == SL_OK .and. maxval(abs(e(:, :, 4) - eye3())) < tol)
    do i = 1, 4
      h(:, :, i) = (m(:, :, i) + conjg(transpose(m(:, :, i)))) / 2
      h(:, :, i) = h(:, :, i) - (h(1, 1, i) + h(2, 2, i) + h(3, 3, i)) / 3 * eye3()
    end do
    call sl_su_exp(ctx, 3, 4_c_int64_t, h, e, ierr)
    call check('sl_su_exp(i H) is unitary', ierr == SL_OK .and. &
        maxval(abs(matmul(e(:, :, 1), conjg(transpose(e(:, :, 1)))) - eye3())) < 1.0e-12_c_double)

    call sl_gauge_create(ctx, [int(lx, c_int64_t), int(lt, c_int64_t)], nc, f, ierr)
    call sl_gauge_randomize(f, seed + 5, ierr)
    call sl_gauge_data(f, x, ierr)
    call check('sl_gauge_data: the canonical links', ierr == SL_OK .and. &
        size(x) == nc * nc * nd * vol)
    x3(1:nc, 1:nc, 1:nd * vol) => x
    call check('... remapped as (N, N, nd*volume): unitary', maxval(abs(matmul(x3(:, :, 7), &
        conjg(transpose(x3(:, :, 7)))) - reshape([1, 0, 0, 1], [2, 2]))) < 1.0e-12_c_double)
    call sl_gauge_data(ug, x, ierr)
    call check('sl_gauge_data of a field read in place: SL_ERR_ARG', ierr == SL_ERR_ARG .and. &
        .not. associated(x))
    call sl_gauge_plaquette(f, p0)
    call sl_gauge_link_trace(f, t0)
    call sl_su_random(ctx, nc, vol, seed + 6, o, ierr)
    call sl_gauge_transform(f, o, ierr)
    call sl_gauge_plaquette(f, p1)
    call sl_gauge_link_trace(f, t1)
    call check('sl_gauge_transform: the plaquette is invariant, the link trace is not', &
        ierr == SL_OK .and. abs(p1 - p0) < tol .and. abs(t1 - t0) > 1.0e-6_c_double)
    call sl_su_random(ctx, nc, 2 * vol, seed + 7, w, ierr)
    w0 = w
    call sl_gauge_transform_fields(ctx, nc, vol, 2_c_int64_t, o, w, ierr)
    call check('sl_gauge_transform_fields: W -> O W O^+', ierr == SL_OK .and. maxval(abs( &
        w(:, :, 5, 2) - transpose(matmul(matmul(transpose(o(:, :, 5)), transpose(w0(:, :, 5, 2))), &
        conjg(o(:, :, 5)))))) < 1.0e-12_c_double)
    call sl_gauge_destroy(f)
  end subroutine su_n

  function eye3() result(e)
    complex(c_double_complex) :: e(3, 3)
    e = 0
    e(1, 1) = 1
    e(2, 2) = 1
    e(3, 3) = 1
  end function eye3

  ! A 4D SU(3) field through a NERSC file.
  subroutine nersc()
    type(sl_gauge) :: f, back
    real(c_double) :: p0, p1
    integer :: k
    call sl_gauge_create(ctx, [2_c_int64_t, 2_c_int64_t, 2_c_int64_t, 4_c_int64_t], 3, f, ierr)
    call sl_gauge_randomize(f, seed + 9, ierr)
    call sl_gauge_write_nersc(f, nersc_path, ierr)
    call expect_ok('sl_gauge_write_nersc', ierr)
    call sl_gauge_read_nersc(ctx, nersc_path, back, ierr)
    call expect_ok('sl_gauge_read_nersc', ierr)
    call sl_gauge_plaquette(f, p0)
    call sl_gauge_plaquette(back, p1)
    call check('NERSC round trip keeps the plaquette', abs(p1 - p0) < tol .and. sl_gauge_nd(back) == 4)
    call sl_gauge_write_nersc(ug, nersc_path, ierr)
    call check('NERSC needs nd = 4, N = 3: SL_ERR_ARG', ierr == SL_ERR_ARG)
    open(newunit=k, file=nersc_path, status='old', iostat=ierr)
    if (ierr == 0) close(k, status='delete')
    call sl_gauge_destroy(back)
    call sl_gauge_destroy(f)
  end subroutine nersc

  ! The layers as graph ops on the canonical field c (batch 1).
  subroutine layers()
    type(sl_graph) :: g
    type(sl_node) :: uu, p, tf, lk, wl, pl, tr, lc, lb, gc, la, la2, le, om, al, be, ab, ps(4), net
    type(sl_plan) :: plan
    type(sl_tensor) :: t
    real(c_double) :: feat(2, lt, lx), avg, wlv(lt, lx), pc(lt, lx)
    real(c_double) :: alpha(5, 3, 1), omega(6, 1), beta(1, 2), alb(3, 3, 1), poly(2, 1)
    complex(c_double_complex) :: cw(nc, nc, lt, lx)
    integer :: st
    call sl_graph_create(ctx, g)
    uu = sl_graph_input(g, SL_C128, [1_c_int64_t, int(lx, c_int64_t), int(lt, c_int64_t), &
        int(nd, c_int64_t), int(nc, c_int64_t), int(nc, c_int64_t)], 'U')
    p = sl_graph_plaquette(g, uu, 1, 0)
    tf = sl_graph_trace_features(g, p)
    lk = sl_graph_link(g, uu, 1)
    wl = sl_graph_real(g, sl_graph_trace(g, sl_graph_wilson_loop(g, uu, 0, 1, 1, 1)))
    pl = sl_graph_polyakov(g, uu)
    tr = sl_graph_transport(g, uu, p, 0, 1)
    omega = 0.1_c_double
    alpha = 0.1_c_double
    beta = 0.1_c_double
    alb = 0.1_c_double
    poly = 1
    om = sl_graph_constant(g, sl_c_shape(shape(omega)), omega)
    al = sl_graph_constant(g, sl_c_shape(shape(alpha)), alpha)
    be = sl_graph_constant(g, sl_c_shape(shape(beta)), beta)
    ab = sl_graph_constant(g, sl_c_shape(shape(alb)), alb)
    lc = sl_graph_lconv(g, uu, p, om, 2, 0)
    lb = sl_graph_lbilin(g, p, p, ab)
    gc = sl_graph_gcmconv(g, uu, p, al, 2, 0, 0)
    la = sl_graph_lact(g, p, SL_LACT_TANH)
    la2 = sl_graph_lact(g, p, SL_LACT_POLY, sl_graph_constant(g, sl_c_shape(shape(poly)), poly))
    le = sl_graph_lexp(g, uu, p, be)
    net = sl_lcnn_apply(netb, g, uu, ps)
    call check('every layer builds: ' // sl_ctx_errmsg(ctx), sl_graph_status(g) == SL_OK .and. &
        sl_associated(lk) .and. sl_associated(pl) .and. sl_associated(tr) .and. &
        sl_associated(lc) .and. sl_associated(lb) .and. sl_associated(gc) .and. &
        sl_associated(la) .and. sl_associated(la2) .and. sl_associated(le))
    call check('sl_lcnn_apply gives the params (nlayers + 2) and nulls the rest', &
        sl_associated(ps(1)) .and. sl_associated(ps(4)) .and. sl_node_rank(net) == 3)
    call sl_plan_create(g, [tf, wl, lk, net], plan, st)
    call expect_ok('layer plan: ' // sl_ctx_errmsg(ctx), st)
    call sl_plan_bind(plan, uu, c, st)
    call sl_plan_run(plan, st)
    call expect_ok('layer plan run', st)
    call sl_plan_output(plan, 0, feat, st)
    call sl_gauge_plaquette(hb, avg)
    call check('trace features of the plaquettes: mean Re Tr P / N = sl_gauge_plaquette', &
        st == SL_OK .and. abs(sum(feat(1, :, :)) / (nc * vol) - avg) < tol)
    call sl_plan_output(plan, 1, wlv, st)
    call check('the 1 x 1 Wilson loop is the plaquette', st == SL_OK .and. &
        maxval(abs(wlv / nc - feat(1, :, :) / nc)) < tol)
    call sl_plan_output(plan, 2, cw, st)
    call check('sl_graph_link(mu = 1) is c(:, :, 2, :, :)', st == SL_OK .and. all(cw == c(:, :, 2, :, :)))
    call sl_plan_output(plan, 3, pc, st)
    call sl_lcnn_predict(netb, hb, wlv)
    call check('sl_lcnn_apply on the graph = sl_lcnn_predict', st == SL_OK .and. &
        maxval(abs(pc - wlv)) < tol)
    t = sl_gauge_tensor(hb)
    call check('sl_gauge_tensor: C shape (L0, L1, nd, N, N)', sl_tensor_rank(t) == 5 .and. &
        sl_tensor_dim(t, 0) == lx .and. sl_tensor_dim(t, 2) == nd .and. sl_tensor_dtype(t) == SL_C128)
    call sl_plan_destroy(plan)
    call sl_graph_destroy(g)
  end subroutine layers

  ! Per-site Re Tr P / 2, P(x) = U_x(x) U_t(x + x^) U_x(x + t^)^+ U_t(x)^+.
  subroutine plaquettes(v, pq)
    complex(c_double_complex), intent(in) :: v(nc, nc, nd, lx, lt)
    real(c_double), intent(out) :: pq(lx, lt)
    complex(c_double_complex) :: m(nc, nc)
    integer :: i, j, ip, jp
    do j = 1, lt
      jp = modulo(j, lt) + 1
      do i = 1, lx
        ip = modulo(i, lx) + 1
        m = matmul(matmul(v(:, :, 1, i, j), v(:, :, 2, ip, j)), &
            matmul(conjg(transpose(v(:, :, 1, i, jp))), conjg(transpose(v(:, :, 2, i, j)))))
        pq(i, j) = real(m(1, 1) + m(2, 2), c_double) / 2
      end do
    end do
  end subroutine plaquettes

end program test_fortran_lattice
