! A lattice gauge field owned by a Fortran code, read in place by the library,
! and per-site L-CNN predictions back in a Fortran array (docs/lattice.md).
!
! The host field is u(2, 2, 2, 8, 8) = u(row, col, mu, x, t): SU(2) colour
! matrices as Fortran stores them (column-major, row index fastest), then the
! direction (mu = 1 is x, mu = 2 is t), then x, then t.  In C terms that memory
! is [t][x][mu][col][row], which the layout descriptor states exactly:
! CUSTOM order, x fastest among the sites (direction 0 = x is the first site
! index), links of a site together (direction_major = 0), colour matrices
! column-major (colour_major = 1).  The library then reads u in place.
!
! The configuration comes from the library's SU(2) heat bath (exported into u
! through the same descriptor).  Model A is an L-CNN with hand-set weights
! that computes the per-site plaquette Re Tr P / 2 exactly; model B is a
! randomly initialised two-layer L-CNN; model C is trained briefly.  Checks:
! u equals the canonical copy under the documented index map; model A equals
! the plaquette computed here in Fortran; predictions from u equal those from
! the library's canonical field and from a canonical Fortran array; a random
! SU(2) gauge transformation applied here leaves them unchanged to 1e-12; on
! U = 1 every prediction is the model's value on the unit configuration;
! save/load round trip; training lowers the validation error.
! Ends with "N passed, N failed" and a nonzero exit on failure.
module lcnn_progress
  use, intrinsic :: iso_c_binding, only: c_int, c_double, c_ptr, c_associated
  implicit none
  private
  integer, public :: epochs_seen = 0
  real(c_double), public :: last_train_loss = -1, last_val_loss = -1
  logical, public :: user_seen = .false.
  public :: on_epoch
contains
  subroutine on_epoch(user, epoch, train_loss, val_loss) bind(c)
    type(c_ptr), value :: user
    integer(c_int), value :: epoch
    real(c_double), value :: train_loss, val_loss
    epochs_seen = max(epochs_seen, int(epoch))
    last_train_loss = train_loss
    last_val_loss = val_loss
    user_seen = user_seen .or. c_associated(user)
  end subroutine on_epoch
end module lcnn_progress

program lcnn
  use symlearn
  use lcnn_progress, only: on_epoch, epochs_seen, last_train_loss, last_val_loss
  use, intrinsic :: iso_c_binding, only: c_funloc
  implicit none

  integer, parameter :: nc = 2, nd = 2, lx = 8, lt = 8, ncfg = 10, nval = 2
  integer(c_int64_t), parameter :: vol = lx * lt
  integer(c_int64_t), parameter :: seed = 20240611_c_int64_t
  real(c_double), parameter :: tol = 1.0e-12_c_double
  character(*), parameter :: model_path = 'build/fortran/lcnn_example.slm'

  type(sl_ctx) :: ctx
  type(sl_gauge) :: hb, ug, ucan, ugt, u1, unit, ubad, uwrong
  type(sl_gauge_layout) :: lay, canon
  type(sl_lcnn) :: neta, netb, netc, netl
  type(sl_lcnn_opts) :: opts
  type(sl_lcnn_train_opts) :: topts
  ! The host arrays: u(row, col, mu, x, t); canonical c(col, row, mu, t, x).
  complex(c_double_complex), target :: u(nc, nc, nd, lx, lt), ut(nc, nc, nd, lx, lt)
  complex(c_double_complex), target :: uid(nc, nc, nd, lx, lt), small(nc, nc, nd, lx)
  complex(c_double_complex), target :: c(nc, nc, nd, lt, lx)
  complex(c_double_complex) :: om(nc, nc, vol), g(nc, nc, lx, lt)
  complex(c_double_complex), allocatable :: links(:, :, :, :, :, :)
  real(c_double) :: plaq_f(lx, lt), pred(lx, lt), pc(lt, lx), pa(lx, lt)
  real(c_double) :: pb(lx, lt), pb_can(lt, lx), pb_arr(lt, lx), pb_gt(lx, lt), pb_id(lx, lt)
  real(c_double) :: pb_unit(lt, lx), pb_load(lx, lt), pwrong(lx, lt)
  real(c_double), allocatable :: w(:), targets(:, :, :), pv(:, :, :)
  real(c_double) :: plaq_lib, plaq_hb, mse0, mse1, d
  integer(c_int64_t) :: dims(2), np
  integer :: ierr, npass, nfail, ix, it, mu, k

  npass = 0
  nfail = 0
  call sl_ctx_create(ctx, ierr)
  call expect_ok('sl_ctx_create', ierr)
  call sl_ctx_set_seed(ctx, seed, ierr)
  call expect_ok('sl_ctx_set_seed', ierr)

  ! ---- The host field ---------------------------------------------------------
  ! Library-owned SU(2) configuration from the heat bath (beta = 2.2).
  call sl_gauge_create(ctx, [int(lx, c_int64_t), int(lt, c_int64_t)], nc, hb, ierr)
  call expect_ok('sl_gauge_create', ierr)
  call sl_gauge_randomize(hb, seed, ierr)
  call expect_ok('sl_gauge_randomize', ierr)
  call sl_gauge_heatbath(hb, 2.2_c_double, 20, 0, seed + 1, ierr)
  call expect_ok('sl_gauge_heatbath', ierr)

  ! The layout of u.
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

  ! The same links in canonical order: C [x][t][mu][row][col] = c(col, row, mu, t, x).
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

  ! Wrap u in place.
  call sl_gauge_wrap(ctx, lay, u, ug, ierr)
  call expect_ok('sl_gauge_wrap(u): ' // sl_ctx_errmsg(ctx), ierr)
  call check('u is read in place', sl_gauge_in_place(ug))
  call sl_gauge_dims(ug, dims)
  call check('wrapped field: nd, nc, volume, dims', sl_gauge_nd(ug) == nd .and. &
      sl_gauge_nc(ug) == nc .and. sl_gauge_volume(ug) == vol .and. all(dims == [lx, lt]))

  ! The plaquette from Fortran, the library on u, and on the heat-bath field.
  call plaquettes(u, plaq_f)
  call sl_gauge_plaquette(ug, plaq_lib, ierr)
  call expect_ok('sl_gauge_plaquette(u)', ierr)
  call sl_gauge_plaquette(hb, plaq_hb, ierr)
  call expect_ok('sl_gauge_plaquette(hb)', ierr)
  print '(a, f10.6, a, f10.6, a, f10.6)', 'plaquette: Fortran ', sum(plaq_f) / vol, &
      '  library on u ', plaq_lib, '  heat-bath field ', plaq_hb
  call check('average plaquette: Fortran = library (u) = library (canonical)', &
      abs(sum(plaq_f) / vol - plaq_lib) < tol .and. abs(plaq_lib - plaq_hb) < tol)

  ! ---- Model A: the per-site plaquette, exactly -------------------------------
  ! One GCMConv layer (1 -> 1 channel, K = 2): alpha (1, 3, 5) over
  ! A = (W, W^+, 1) x B = (T_x, T_t, T_x^+, T_t^+, 1); alpha(W, 1) = 1 keeps
  ! the plaquette W; the head takes Re Tr / 2.
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
  w(5) = 1                 ! alpha(0, 0, 4): W times the identity
  w(16) = 0.5_c_double     ! head: Re Tr W / 2 (w(17): Im Tr, bias w(18) = 0)
  call sl_lcnn_set_params(neta, w, ierr)
  call expect_ok('sl_lcnn_set_params', ierr)
  call sl_lcnn_predict(neta, ug, pc, ierr)
  call expect_ok('sl_lcnn_predict (model A on u)', ierr)
  pa = transpose(pc)       ! canonical site order (x slowest) -> pa(x, t)
  print '(a)', 'model A on u, per site Re Tr P / 2 (x across, t down, first 4 x 4):'
  do it = 1, 4
    print '(4f12.8)', pa(1:4, it)
  end do
  call check('model A = Fortran per-site plaquette Re Tr P / 2 (1e-12)', &
      maxval(abs(pa - plaq_f)) < tol)
  call check('model A mean = sl_gauge_plaquette', abs(sum(pa) / vol - plaq_lib) < tol)

  ! The wrong colour order (row-major) reads U^T: a different field.
  lay%colour_major = 0
  call sl_gauge_wrap(ctx, lay, u, uwrong, ierr)
  call expect_ok('sl_gauge_wrap (row-major colour, deliberately wrong)', ierr)
  call sl_lcnn_predict(neta, uwrong, pc, ierr)
  call expect_ok('sl_lcnn_predict (wrong layout)', ierr)
  pwrong = transpose(pc)
  call check('the row-major description gives other plaquettes', &
      maxval(abs(pwrong - plaq_f)) > 1.0e-3_c_double)
  call sl_gauge_destroy(uwrong)
  lay%colour_major = 1

  ! ---- Model B: random weights, two layers ------------------------------------
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

  ! (a) The same field in canonical layout: the library's own and a Fortran array.
  call sl_lcnn_predict(netb, hb, pb_can, ierr)
  call expect_ok('sl_lcnn_predict (model B on the heat-bath field)', ierr)
  call sl_gauge_layout_init(canon)
  canon%order = SL_GAUGE_ORDER_CANONICAL
  canon%nd = nd
  canon%nc = nc
  canon%dims(1:2) = [lx, lt]
  call sl_gauge_wrap(ctx, canon, c, ucan, ierr)
  call expect_ok('sl_gauge_wrap (canonical Fortran array)', ierr)
  call sl_lcnn_predict(netb, ucan, pb_arr, ierr)
  call expect_ok('sl_lcnn_predict (model B on the canonical array)', ierr)
  d = max(maxval(abs(pb - transpose(pb_can))), maxval(abs(pb - transpose(pb_arr))))
  print '(a, es10.3)', 'model B: u vs canonical layouts, max |difference| = ', d
  call check('model B: u (CUSTOM, in place) = canonical fields, identical', d == 0)

  ! (b) A random SU(2) gauge transformation applied in Fortran:
  ! U(x, mu) -> g(x) U(x, mu) g(x + mu)^+.  sl_su_random gives C (row-major)
  ! matrices, i.e. their Fortran transposes; any SU(2) matrices will do.
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
  call expect_ok('sl_lcnn_predict (model B, transformed)', ierr)
  pb_gt = transpose(pc)
  call sl_lcnn_predict(neta, ugt, pc, ierr)
  call expect_ok('sl_lcnn_predict (model A, transformed)', ierr)
  d = max(maxval(abs(pb_gt - pb)), maxval(abs(transpose(pc) - pa)))
  print '(a, es10.3)', 'gauge transformation: max |prediction change| = ', d
  call check('models A and B are gauge invariant (1e-12)', d < tol)

  ! (c) U = 1: every prediction is the model's value on the unit configuration.
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
  call expect_ok('sl_gauge_create (unit)', ierr)
  call sl_lcnn_predict(netb, unit, pb_unit, ierr)
  call expect_ok('sl_lcnn_predict (model B, unit field)', ierr)
  call sl_lcnn_predict(netb, u1, pb_id, ierr)
  call expect_ok('sl_lcnn_predict (model B, identity array)', ierr)
  call check('U = 1: model B is the same constant everywhere', &
      maxval(abs(pb_id - pb_unit(1, 1))) < tol .and. maxval(abs(pb_unit - pb_unit(1, 1))) < tol)
  call sl_lcnn_predict(neta, u1, pc, ierr)
  call expect_ok('sl_lcnn_predict (model A, identity)', ierr)
  call check('U = 1: model A gives Re Tr 1 / 2 = 1 at every site', maxval(abs(pc - 1)) < tol)

  ! In place means in place: change u, refresh (a no-op here), predict again.
  u = ut
  call sl_gauge_refresh(ug, ierr)
  call expect_ok('sl_gauge_refresh', ierr)
  call sl_lcnn_predict(netb, ug, pc, ierr)
  call expect_ok('sl_lcnn_predict (u overwritten)', ierr)
  call check('the wrapped u sees the host''s update', maxval(abs(transpose(pc) - pb_gt)) == 0)

  ! ---- Errors reach Fortran --------------------------------------------------
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

  ! ---- Save and load ---------------------------------------------------------
  call sl_lcnn_save(netb, model_path, ierr)
  call expect_ok('sl_lcnn_save', ierr)
  call sl_lcnn_load(ctx, model_path, netl, ierr)
  call expect_ok('sl_lcnn_load', ierr)
  call sl_lcnn_predict(netl, ugt, pb_load, ierr)
  call expect_ok('sl_lcnn_predict (loaded model)', ierr)
  call check('the loaded model predicts as the saved one', &
      maxval(abs(transpose(pb_load) - pb_gt)) == 0)
  open(newunit=k, file=model_path, status='old', iostat=ierr)
  if (ierr == 0) close(k, status='delete')

  ! ---- Brief training: model C learns the per-site plaquette -------------------
  ! ncfg heat-bath configurations at beta = 0.5 .. 5 in canonical layout
  ! (links(col, row, mu, t, x, i)), targets(t, x, i) computed here.
  allocate(links(nc, nc, nd, lt, lx, ncfg), targets(lt, lx, ncfg), pv(lt, lx, nval))
  do k = 1, ncfg
    call sl_gauge_heatbath(hb, 0.5_c_double * k, 5, 0, seed + 100 + k, ierr)
    call expect_ok('sl_gauge_heatbath (training data)', ierr)
    call sl_gauge_copy_canonical(hb, links(:, :, :, :, :, k), ierr)
    call expect_ok('sl_gauge_copy_canonical (training data)', ierr)
    call sl_gauge_export(hb, lay, ut, ierr)
    call expect_ok('sl_gauge_export (training data)', ierr)
    call plaquettes(ut, plaq_f)
    targets(:, :, k) = transpose(plaq_f)
  end do
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
  call sl_lcnn_predict_batch(netc, int(nval, c_int64_t), dims, links(:, :, :, :, :, ncfg - nval + 1:), &
      pv, ierr)
  call expect_ok('sl_lcnn_predict_batch (before)', ierr)
  mse0 = sum((pv - targets(:, :, ncfg - nval + 1:)) ** 2) / size(pv)
  call sl_lcnn_train_opts_init(topts)
  topts%epochs = 60
  topts%batch = 4
  topts%lr = 2.0e-2_c_double
  topts%seed = seed
  topts%progress = c_funloc(on_epoch)
  call sl_lcnn_train(netc, int(ncfg, c_int64_t), int(nval, c_int64_t), dims, links, targets, &
      topts, ierr)
  call expect_ok('sl_lcnn_train: ' // sl_ctx_errmsg(ctx), ierr)
  call sl_lcnn_predict_batch(netc, int(nval, c_int64_t), dims, links(:, :, :, :, :, ncfg - nval + 1:), &
      pv, ierr)
  call expect_ok('sl_lcnn_predict_batch (after)', ierr)
  mse1 = sum((pv - targets(:, :, ncfg - nval + 1:)) ** 2) / size(pv)
  print '(a, i0, a, es10.3, a, es10.3, a, es10.3, a, es10.3)', 'model C: ', epochs_seen, &
      ' epochs, validation MSE ', mse0, ' -> ', mse1, '; last epoch losses ', last_train_loss, &
      ', ', last_val_loss
  call check('training ran through the progress callback', epochs_seen >= 1)
  call check('training lowers the validation MSE tenfold', mse1 < 0.1_c_double * mse0)

  call sl_gauge_destroy(ug)
  call sl_gauge_destroy(ugt)
  call sl_gauge_destroy(ucan)
  call sl_gauge_destroy(u1)
  call sl_gauge_destroy(unit)
  call sl_gauge_destroy(ubad)
  call sl_gauge_destroy(hb)
  call sl_lcnn_destroy(neta)
  call sl_lcnn_destroy(netb)
  call sl_lcnn_destroy(netc)
  call sl_lcnn_destroy(netl)
  call check('handles are null after destroy', .not. (sl_associated(ug) .or. sl_associated(neta)))
  call sl_ctx_destroy(ctx)
  deallocate(w, links, targets, pv)

  print '(i0, a, i0, a)', npass, ' passed, ', nfail, ' failed'
  if (nfail > 0) error stop 1

contains

  ! Per-site Re Tr P / 2, P(x) = U_x(x) U_t(x + x^) U_x(x + t^)^+ U_t(x)^+.
  subroutine plaquettes(v, p)
    complex(c_double_complex), intent(in) :: v(nc, nc, nd, lx, lt)
    real(c_double), intent(out) :: p(lx, lt)
    complex(c_double_complex) :: m(nc, nc)
    integer :: i, j, ip, jp
    do j = 1, lt
      jp = modulo(j, lt) + 1
      do i = 1, lx
        ip = modulo(i, lx) + 1
        m = matmul(matmul(v(:, :, 1, i, j), v(:, :, 2, ip, j)), &
            matmul(conjg(transpose(v(:, :, 1, i, jp))), conjg(transpose(v(:, :, 2, i, j)))))
        p(i, j) = real(m(1, 1) + m(2, 2), c_double) / 2
      end do
    end do
  end subroutine plaquettes

  subroutine check(what, ok)
    character(*), intent(in) :: what
    logical, intent(in) :: ok
    if (ok) then
      npass = npass + 1
      print '(a, a)', 'ok   ', what
    else
      nfail = nfail + 1
      print '(a, a)', 'FAIL ', what
    end if
  end subroutine check

  subroutine expect_ok(what, status)
    character(*), intent(in) :: what
    integer, intent(in) :: status
    if (status /= SL_OK) then
      nfail = nfail + 1
      print '(a, a, a, a)', 'FAIL ', what, ': ', sl_status_string(status)
    end if
  end subroutine expect_ok
end program lcnn
