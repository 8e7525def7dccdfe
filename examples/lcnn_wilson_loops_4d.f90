! The 4D task of issue 13 from Fortran (examples/lcnn_wilson_loops_4d.c is
! the C version, docs/lattice.md "Training in 4D"): an L-CNN with GCMConv
! layers [6, 6], K [2, 2] learns the per-site 2x2 Wilson loop averaged over
! the 6 planes, (1/6) sum_{mu<nu} Re Tr W_2x2(x, mu nu) / 2, on SU(2)
! configurations of the library's heat bath at 8 values of beta.
!
! The host field is u(2, 2, 4, lx, ly, lz, lt) = u(row, col, mu, x, y, z, t),
! as a Fortran code stores it; the layout descriptor (CUSTOM, x fastest among
! the sites, colour matrices column-major) lets the library read it in place.
! The targets are computed here in Fortran from u; the training fields are
! canonical copies links(col, row, mu, t, z, y, x, field) (the C array
! [x][y][z][t][mu][row][col] with the indices reversed), the targets
! targets(t, z, y, x, field) in the same site order.  Checks: the Fortran
! 2x2 loops average to sl_gauge_wilson_loop in every plane; 20 epochs of
! training (the default options: every layer's input centred, the head
! started at the target mean) bring the test MSE below half the target
! variance (measured: 0.3; this lattice and 32 training fields are too small
! to learn the task: the C example on 6^3 x 4 with 160 fields reaches
! 1e-3, docs/lattice.md "Training in 4D"); the
! trained model predicts the same on the wrapped host array as on the
! canonical copy; gauge invariance of the prediction.  Ends with "N passed,
! N failed" and a nonzero exit on failure.
module lcnn4d_progress
  use, intrinsic :: iso_c_binding, only: c_int, c_double, c_ptr, c_associated
  implicit none
  private
  integer, public :: epochs_seen = 0
  real(c_double), public :: first_val = -1, last_val = -1, last_train = -1
  logical, public :: user_seen = .false.
  public :: on_epoch
contains
  subroutine on_epoch(user, epoch, train_loss, val_loss) bind(c)
    type(c_ptr), value :: user
    integer(c_int), value :: epoch
    real(c_double), value :: train_loss, val_loss
    epochs_seen = max(epochs_seen, int(epoch))
    if (epoch == 1) first_val = val_loss
    last_val = val_loss
    last_train = train_loss
    user_seen = user_seen .or. c_associated(user)
  end subroutine on_epoch
end module lcnn4d_progress

program lcnn_wilson_loops_4d
  use symlearn
  use lcnn4d_progress, only: on_epoch, epochs_seen, first_val, last_val, last_train, user_seen
  use, intrinsic :: iso_c_binding, only: c_funloc, c_funptr
  implicit none

  integer, parameter :: nc = 2, nd = 4, lx = 3, ly = 3, lz = 3, lt = 4, nbeta = 8
  integer, parameter :: ntr = 4, nva = 1, nte = 1, per = ntr + nva + nte   ! fields per beta
  integer, parameter :: epochs = 20
  integer(c_int64_t), parameter :: vol = lx * ly * lz * lt, seed = 4242_c_int64_t
  real(c_double), parameter :: b0 = 1.0_c_double, b1 = 6.0_c_double

  type(sl_ctx) :: ctx
  type(sl_gauge) :: hb, uw, ug
  type(sl_gauge_layout) :: lay
  type(sl_lcnn) :: net
  type(sl_lcnn_opts) :: opts
  type(sl_lcnn_train_opts) :: topts
  type(sl_lcnn_fit_summary) :: summary
  type(c_funptr) :: callback
  complex(c_double_complex), allocatable, target :: u(:, :, :, :, :, :, :), om(:, :, :)
  complex(c_double_complex), allocatable :: ltr(:, :, :, :, :, :, :, :), lva(:, :, :, :, :, :, :, :)
  complex(c_double_complex), allocatable :: lte(:, :, :, :, :, :, :, :)
  real(c_double), allocatable :: w(:, :, :, :), wp(:, :, :, :, :), ytr(:, :, :, :, :)
  real(c_double), allocatable :: yva(:, :, :, :, :), yte(:, :, :, :, :), pte(:, :, :, :, :)
  real(c_double), allocatable :: p1(:, :, :, :), p2(:, :, :, :)
  real(c_double) :: beta, avg, dmax, mean, var, mse
  integer(c_int64_t) :: dims(4)
  integer :: ierr, npass, nfail, b, i, k, mu, nu, np, ix, iy, iz, it, kk(3)

  npass = 0
  nfail = 0
  call sl_ctx_create(ctx, ierr)
  call expect_ok('sl_ctx_create', ierr)
  dims = [int(lx, c_int64_t), int(ly, c_int64_t), int(lz, c_int64_t), int(lt, c_int64_t)]
  allocate(u(nc, nc, nd, lx, ly, lz, lt), w(lx, ly, lz, lt), wp(lx, ly, lz, lt, 6))
  allocate(ltr(nc, nc, nd, lt, lz, ly, lx, nbeta * ntr), ytr(lt, lz, ly, lx, nbeta * ntr))
  allocate(lva(nc, nc, nd, lt, lz, ly, lx, nbeta * nva), yva(lt, lz, ly, lx, nbeta * nva))
  allocate(lte(nc, nc, nd, lt, lz, ly, lx, nbeta * nte), yte(lt, lz, ly, lx, nbeta * nte))
  allocate(pte(lt, lz, ly, lx, nbeta * nte))

  ! The host layout: u(row, col, mu, x, y, z, t); library direction mu - 1 = Fortran mu.
  call sl_gauge_layout_init(lay)
  lay%order = SL_GAUGE_ORDER_CUSTOM
  lay%nd = nd
  lay%nc = nc
  lay%dims(1:4) = dims
  lay%site_order = SL_SITES_LEX_X_FASTEST
  lay%direction_major = 0
  lay%colour_major = 1

  ! ---- Configurations and targets ------------------------------------------------
  ! One heat-bath chain per beta: 30 sweeps, then a field every 3; of every
  ! `per` fields the first ntr train, the next nva validate, the rest test.
  call sl_gauge_create(ctx, dims, nc, hb, ierr)
  call expect_ok('sl_gauge_create', ierr)
  kk = 0
  dmax = 0
  do b = 1, nbeta
    beta = b0 + (b1 - b0) * (b - 1) / (nbeta - 1)
    call sl_gauge_randomize(hb, 1000_c_int64_t + b, ierr)
    call expect_ok('sl_gauge_randomize', ierr)
    call sl_gauge_heatbath(hb, beta, 30, 0, 100000_c_int64_t + b, ierr)
    call expect_ok('sl_gauge_heatbath', ierr)
    do i = 1, per
      call sl_gauge_heatbath(hb, beta, 3, 0, 100000_c_int64_t + b, ierr)
      call expect_ok('sl_gauge_heatbath', ierr)
      call sl_gauge_export(hb, lay, u, ierr)
      call expect_ok('sl_gauge_export', ierr)
      call loops_2x2(u, wp)
      w = sum(wp, dim=5) / 6
      k = 0
      do mu = 1, nd          ! the Fortran plane averages against the library's
        do nu = mu + 1, nd
          k = k + 1
          call sl_gauge_wilson_loop(hb, mu - 1, nu - 1, 2, 2, avg, ierr)
          call expect_ok('sl_gauge_wilson_loop', ierr)
          dmax = max(dmax, abs(sum(wp(:, :, :, :, k)) / vol - avg))
        end do
      end do
      if (i <= ntr) then
        kk(1) = kk(1) + 1
        call store(ltr(:, :, :, :, :, :, :, kk(1)), ytr(:, :, :, :, kk(1)))
      else if (i <= ntr + nva) then
        kk(2) = kk(2) + 1
        call store(lva(:, :, :, :, :, :, :, kk(2)), yva(:, :, :, :, kk(2)))
      else
        kk(3) = kk(3) + 1
        call store(lte(:, :, :, :, :, :, :, kk(3)), yte(:, :, :, :, kk(3)))
      end if
    end do
  end do
  print '(a, es10.3)', 'Fortran 2x2 loops vs sl_gauge_wilson_loop, max |difference| of the plane averages: ', dmax
  call check('the Fortran 2x2 loops average to sl_gauge_wilson_loop in all 6 planes (1e-12)', dmax < 1e-12_c_double)
  mean = sum(yte) / size(yte)
  var = sum((yte - mean) ** 2) / size(yte)
  print '(a, i0, a, i0, a, i0, a, f7.4, a, es10.3)', 'SU(2) 3^3 x 4: ', kk(1), '/', kk(2), '/', kk(3), &
      ' fields; test target mean ', mean, ', variance ', var

  ! ---- The network and its training ----------------------------------------------
  call sl_lcnn_opts_init(opts)
  opts%nd = nd
  opts%nc = nc
  opts%nlayers = 2
  opts%channels(1:2) = [6, 6]     ! one first-layer channel per plane
  opts%kernels(1:2) = [2, 2]
  opts%seed = seed
  call sl_lcnn_create(ctx, opts, net, ierr)
  call expect_ok('sl_lcnn_create', ierr)
  np = int(sl_lcnn_nparams(net))
  print '(a, i0, a)', 'GCMConv [6, 6], K [2, 2]: ', np, ' weights'

  call sl_lcnn_train_opts_init(topts)       ! defaults: centred layers, head start
  topts%epochs = epochs
  topts%batch = 4
  topts%lr = 3.0e-3_c_double
  topts%seed = seed + 7
  callback = c_funloc(on_epoch)
  topts%progress = callback
  call sl_lcnn_fit_summary_init(summary)
  call sl_lcnn_fit(net, dims, int(nbeta * ntr, c_int64_t), ltr, ytr, int(nbeta * nva, c_int64_t), &
      lva, yva, topts, summary, ierr)
  call expect_ok('sl_lcnn_fit: ' // sl_ctx_errmsg(ctx), ierr)
  print '(a, i0, a, i0, a, es10.3, a, es10.3)', 'epochs run ', summary%epochs_run, ', best epoch ', &
      summary%best_epoch, ', validation MSE ', summary%initial_val_loss, ' -> ', summary%best_val_loss
  call check('the progress callback saw every epoch', epochs_seen == epochs .and. summary%epochs_run == epochs)
  call check('the validation loss fell', summary%best_val_loss < first_val .and. last_val > 0)
  call check('the last epoch''s training loss reached the callback (user pointer NULL)', &
      abs(last_train - summary%final_train_loss) == 0 .and. .not. user_seen)

  call sl_lcnn_predict_batch(net, int(nbeta * nte, c_int64_t), dims, lte, pte, ierr)
  call expect_ok('sl_lcnn_predict_batch', ierr)
  mse = sum((pte - yte) ** 2) / size(pte)
  print '(a, es10.3, a, es10.3, a)', 'test MSE ', mse, ' = ', mse / var, ' of the target variance'
  call check('test MSE below 0.5 of the target variance', mse / var < 0.5_c_double)

  ! ---- The trained model on the host array ---------------------------------------
  ! The last test field, wrapped in place, against its canonical copy; then
  ! a random gauge transformation done here, U(x, mu) -> g(x) U(x, mu) g(x+mu)^+.
  allocate(p1(lt, lz, ly, lx), p2(lt, lz, ly, lx), om(nc, nc, vol))
  call sl_gauge_wrap(ctx, lay, u, uw, ierr)
  call expect_ok('sl_gauge_wrap: ' // sl_ctx_errmsg(ctx), ierr)
  call check('u is read in place', sl_gauge_in_place(uw))
  call sl_lcnn_predict(net, uw, p1, ierr)
  call expect_ok('sl_lcnn_predict (host array)', ierr)
  call check('host array and canonical copy give the same predictions', &
      maxval(abs(p1 - pte(:, :, :, :, nbeta * nte))) < 1e-12_c_double)
  call sl_su_random(ctx, nc, vol, seed + 3, om, ierr)
  call expect_ok('sl_su_random', ierr)
  call gauge_transform(u, om)
  call sl_gauge_wrap(ctx, lay, u, ug, ierr)
  call expect_ok('sl_gauge_wrap (transformed)', ierr)
  call sl_lcnn_predict(net, ug, p2, ierr)
  call expect_ok('sl_lcnn_predict (transformed)', ierr)
  print '(a, es10.3)', 'gauge transformation: max |prediction change| = ', maxval(abs(p2 - p1))
  call check('the trained model is gauge invariant (1e-12)', maxval(abs(p2 - p1)) < 1e-12_c_double)

  call sl_gauge_destroy(ug)
  call sl_gauge_destroy(uw)
  call sl_gauge_destroy(hb)
  call sl_lcnn_destroy(net)
  call sl_ctx_destroy(ctx)
  deallocate(u, om, w, wp, ltr, lva, lte, ytr, yva, yte, pte, p1, p2)

  print '(i0, a, i0, a)', npass, ' passed, ', nfail, ' failed'
  if (nfail > 0) error stop 1

contains

  ! The current field: canonical links and the per-site targets w in
  ! canonical site order (x slowest, t fastest).
  subroutine store(lk, y)
    complex(c_double_complex), intent(out) :: lk(:, :, :, :, :, :, :)
    real(c_double), intent(out) :: y(:, :, :, :)
    call sl_gauge_copy_canonical(hb, lk, ierr)
    call expect_ok('sl_gauge_copy_canonical', ierr)
    do ix = 1, lx
      do iy = 1, ly
        do iz = 1, lz
          do it = 1, lt
            y(it, iz, iy, ix) = w(ix, iy, iz, it)
          end do
        end do
      end do
    end do
  end subroutine store

  ! The site x + s e_mu (periodic), x = (i1, i2, i3, i4).
  function shifted(x, mu, s) result(y)
    integer, intent(in) :: x(4), mu, s
    integer :: y(4), ext(4)
    ext = [lx, ly, lz, lt]
    y = x
    y(mu) = modulo(x(mu) - 1 + s, ext(mu)) + 1
  end function shifted

  function link(v, x, mu) result(m)
    complex(c_double_complex), intent(in) :: v(nc, nc, nd, lx, ly, lz, lt)
    integer, intent(in) :: x(4), mu
    complex(c_double_complex) :: m(nc, nc)
    m = v(:, :, mu, x(1), x(2), x(3), x(4))
  end function link

  ! Re Tr W / 2 of the 2x2 loop based at every site in each plane mu < nu:
  ! two steps +mu, two +nu, two -mu, two -nu.
  subroutine loops_2x2(v, out)
    complex(c_double_complex), intent(in) :: v(nc, nc, nd, lx, ly, lz, lt)
    real(c_double), intent(out) :: out(lx, ly, lz, lt, 6)
    complex(c_double_complex) :: m(nc, nc)
    integer :: x(4), y(4), a, bb, q, s1, s2, s3, s4
    q = 0
    do a = 1, nd
      do bb = a + 1, nd
        q = q + 1
        do s4 = 1, lt
          do s3 = 1, lz
            do s2 = 1, ly
              do s1 = 1, lx
                x = [s1, s2, s3, s4]
                y = x
                m = link(v, y, a)
                y = shifted(y, a, 1)
                m = matmul(m, link(v, y, a))
                y = shifted(y, a, 1)
                m = matmul(m, link(v, y, bb))
                y = shifted(y, bb, 1)
                m = matmul(m, link(v, y, bb))
                y = shifted(y, bb, 1)
                y = shifted(y, a, -1)
                m = matmul(m, conjg(transpose(link(v, y, a))))
                y = shifted(y, a, -1)
                m = matmul(m, conjg(transpose(link(v, y, a))))
                y = shifted(y, bb, -1)
                m = matmul(m, conjg(transpose(link(v, y, bb))))
                y = shifted(y, bb, -1)
                m = matmul(m, conjg(transpose(link(v, y, bb))))
                out(s1, s2, s3, s4, q) = real(m(1, 1) + m(2, 2), c_double) / 2
              end do
            end do
          end do
        end do
      end do
    end do
  end subroutine loops_2x2

  ! U(x, mu) -> g(x) U(x, mu) g(x + mu)^+ with g(x) = om(:, :, site), the site
  ! index x fastest (any SU(2) matrices will do).
  subroutine gauge_transform(v, g)
    complex(c_double_complex), intent(inout) :: v(nc, nc, nd, lx, ly, lz, lt)
    complex(c_double_complex), intent(in) :: g(nc, nc, lx, ly, lz, lt)
    integer :: x(4), y(4), s1, s2, s3, s4, m2
    do s4 = 1, lt
      do s3 = 1, lz
        do s2 = 1, ly
          do s1 = 1, lx
            x = [s1, s2, s3, s4]
            do m2 = 1, nd
              y = shifted(x, m2, 1)
              v(:, :, m2, s1, s2, s3, s4) = matmul(g(:, :, s1, s2, s3, s4), matmul(v(:, :, m2, s1, s2, s3, s4), &
                  conjg(transpose(g(:, :, y(1), y(2), y(3), y(4))))))
            end do
          end do
        end do
      end do
    end do
  end subroutine gauge_transform

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
end program lcnn_wilson_loops_4d
