! Fortran interface, nn: an MLP built from the sl_mlp_opts mirror, applied to
! a Fortran array x(in, B) (C shape (B, in)), odd exactness f(-x) = -f(x),
! the flat weight vector (size checks, round trip), a dense layer with GELU
! against a loop in Fortran, and bad options.
program test_fortran_nn
  use symlearn
  use checks
  use, intrinsic :: iso_c_binding, only: c_sizeof
  implicit none

  integer, parameter :: nin = 3, nhid = 8, nout = 2, nb = 5
  type(sl_ctx) :: ctx
  type(sl_graph) :: g
  type(sl_node) :: x, mx, y, my, xw, w, b, z
  type(sl_plan) :: p
  type(sl_mlp) :: net, bad
  type(sl_mlp_opts) :: o
  type(sl_invariant_opts) :: io
  type(sl_invariant_result) :: r
  real(c_double) :: xa(nin, nb), xm(nin, nb), ya(nout, nb), yb(nout, nb)
  real(c_double) :: wa(nout, nin), ba(nout), za(nout, nb), ref
  real(c_double), allocatable :: wts(:), wts2(:)
  integer :: st, i, j, k

  call sl_ctx_create(ctx, st)
  call expect_ok('sl_ctx_create', st)
  call sl_graph_create(ctx, g, st)
  call expect_ok('sl_graph_create', st)

  call sl_mlp_opts_init(o)
  call check('sl_mlp_opts mirror: size 184 on LP64, defaults', c_sizeof(o) == 184 .and. o%size == 184 &
       .and. o%activation == SL_ACT_TANH .and. o%bias == 1 .and. o%gain == 1 .and. o%nlayers == 0)
  o%nlayers = 2
  o%widths(1:3) = [integer(c_int64_t) :: nin, nhid, nout]
  o%odd = 1
  o%init = SL_INIT_ORTHOGONAL
  o%seed = 4
  call sl_mlp_create(g, o, net, st)
  call expect_ok('sl_mlp_create: ' // sl_ctx_errmsg(ctx), st)
  call check('queries', sl_mlp_nlayers(net) == 2 .and. sl_mlp_width(net, 1) == nhid &
       .and. sl_mlp_nparams(net) == 2 .and. sl_mlp_nweights(net) == nin * nhid + nhid * nout)
  call check('param names', sl_node_name(sl_mlp_param(net, 1)) == 'W2')

  x = sl_graph_input(g, SL_F64, [integer(c_int64_t) :: nb, nin], 'x')
  mx = sl_graph_input(g, SL_F64, [integer(c_int64_t) :: nb, nin], 'mx')
  y = sl_mlp_apply(net, x)
  my = sl_mlp_apply(net, mx)
  call check('output C shape (B, out)', sl_node_rank(y) == 2 .and. sl_node_dim(y, 0) == nb &
       .and. sl_node_dim(y, 1) == nout)

  ! a dense layer with GELU: z = gelu(x W + b), W of C shape (in, out) = wa(out, in)
  do j = 1, nin
    do i = 1, nout
      wa(i, j) = 0.1_c_double * (i + 2 * j) - 0.4_c_double
    end do
  end do
  ba = [0.25_c_double, -0.5_c_double]
  w = sl_graph_param(g, [integer(c_int64_t) :: nin, nout], wa, 'W')
  b = sl_graph_param(g, [integer(c_int64_t) :: nout], ba, 'b')
  xw = sl_graph_dense(g, x, w, b)
  z = sl_graph_gelu(g, xw)
  call sl_plan_create(g, [y, my, z], p, st)
  call expect_ok('sl_plan_create: ' // sl_ctx_errmsg(ctx), st)

  do j = 1, nb
    do i = 1, nin
      xa(i, j) = sin(1.7_c_double * i + 0.9_c_double * j)
    end do
  end do
  xm = -xa
  call sl_plan_bind(p, x, xa, st)
  call sl_plan_bind(p, mx, xm, st)
  call sl_plan_run(p, st)
  call expect_ok('sl_plan_run', st)
  call sl_plan_output(p, 0, ya, st)
  call sl_plan_output(p, 1, yb, st)
  call sl_plan_output(p, 2, za, st)
  call check('odd network: f(-x) = -f(x) exactly', all(yb == -ya) .and. any(ya /= 0))
  ref = 0
  do k = 1, nb
    do i = 1, nout
      ref = max(ref, abs(za(i, k) - gelu(ba(i) + sum(xa(:, k) * wa(i, :)))))
    end do
  end do
  call check('dense + gelu against a Fortran loop', ref < 1.0e-14_c_double)

  allocate(wts(sl_mlp_nweights(net)), wts2(sl_mlp_nweights(net)))
  call sl_mlp_get_weights(net, wts, st)
  call expect_ok('sl_mlp_get_weights', st)
  call sl_mlp_get_weights(net, wts(1:3), st)
  call check('sl_mlp_get_weights of the wrong size: SL_ERR_SHAPE', st == SL_ERR_SHAPE)
  wts2 = 2 * wts
  call sl_mlp_set_weights(net, wts2, st)
  call expect_ok('sl_mlp_set_weights', st)
  call sl_mlp_get_weights(net, wts, st)
  call check('set/get round trip', all(wts == wts2))
  call sl_mlp_set_weights(net, wts2(2:), st)
  call check('sl_mlp_set_weights of the wrong size: SL_ERR_SHAPE', st == SL_ERR_SHAPE)

  o%activation = SL_ACT_GELU
  call sl_mlp_create(g, o, bad, st)
  call check('odd with GELU: SL_ERR_ARG naming sl_mlp_create', st == SL_ERR_ARG .and. &
       index(sl_ctx_errmsg(ctx), 'sl_mlp_create: opts->odd = 1 with activation gelu') == 1 &
       .and. .not. sl_associated(bad))
  o%activation = SL_ACT_TANH
  o%widths(2) = 0
  call sl_mlp_create(g, o, bad, st)
  call check('zero width: SL_ERR_ARG', st == SL_ERR_ARG .and. index(sl_ctx_errmsg(ctx), 'widths[1] = 0') > 0)

  ! Siamese invariants: a tiny run through the bindings (x(d, n), group(n))
  call sl_invariant_opts_init(io)
  io%steps = 3
  io%npairs = 8
  call sl_discover_invariants(ctx, 4_c_int64_t, 2_c_int64_t, reshape([1d0, 2d0, 3d0, 4d0, 5d0, 6d0, 7d0, 8d0], &
       [2, 4]), [0_c_int64_t, 0_c_int64_t, 1_c_int64_t, 1_c_int64_t], io, r, st)
  call expect_ok('sl_discover_invariants: ' // sl_ctx_errmsg(ctx), st)
  call check('invariant result queries', sl_invariant_result_dim(r) == 2 .and. sl_invariant_result_nlatent(r) == 1 &
       .and. sl_invariant_result_accuracy(r) >= 0 .and. sl_invariant_result_final_loss(r) > 0)
  call sl_invariant_result_destroy(r)

  call sl_plan_destroy(p)
  call sl_mlp_destroy(net)
  call sl_graph_destroy(g)
  call sl_ctx_destroy(ctx)
  deallocate(wts, wts2)
  call check_done()

contains

  pure function gelu(t) result(r)
    real(c_double), intent(in) :: t
    real(c_double) :: r
    r = 0.5_c_double * t * (1 + erf(t / sqrt(2.0_c_double)))
  end function gelu

end program test_fortran_nn
