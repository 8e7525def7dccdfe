! Hand-written procedures and family templates of area lattice
! (fortran/lattice.txt; sections as in fortran/graph.f90).

!@ proc layout_bytes
  ! Bytes a host array of layout lay must hold (-1: not fixed by the layout,
  ! or a layout the library will reject with its own message).
  function layout_bytes(lay) result(nb)
    type(sl_gauge_layout), intent(in) :: lay
    integer(c_int64_t) :: nb, vol, n2
    integer :: i
    nb = -1
    if (lay%nd < 1 .or. lay%nd > SL_LATTICE_MAX_DIM .or. lay%nc < 2) return
    vol = 1
    do i = 1, lay%nd
      if (lay%dims(i) < 1) return
      vol = vol * lay%dims(i)
    end do
    n2 = 16_c_int64_t * lay%nc * lay%nc
    select case (lay%order)
    case (SL_GAUGE_ORDER_CANONICAL, SL_GAUGE_ORDER_CUSTOM, SL_GAUGE_ORDER_MILC, &
        SL_GAUGE_ORDER_CPS, SL_GAUGE_ORDER_TIFR, SL_GAUGE_ORDER_OPENQCD)
      nb = vol * lay%nd * n2
    case (SL_GAUGE_ORDER_BQCD)
      if (lay%pad >= 0) nb = lay%nd * (vol + 2 * lay%pad) * n2
    case (SL_GAUGE_ORDER_MILC_SITE)
      nb = (vol - 1) * int(lay%site_size, c_int64_t) + int(lay%link_offset, c_int64_t) + lay%nd * n2
    end select
  end function layout_bytes

!@ proc check_host
  ! A host array from a to b (n elements of esize bytes) for layout lay: it
  ! must be contiguous and, where the order fixes it, large enough.
  function check_host(lay, a, b, n, esize) result(st)
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_intptr_t), intent(in) :: esize
    integer(c_int) :: st
    integer(c_int64_t) :: nb
    st = SL_OK
    if (n < 1) then
      st = SL_ERR_SHAPE
    else if (addr(b) - addr(a) /= (n - 1) * esize) then
      st = SL_ERR_ARG
    else if (lay%order == SL_GAUGE_ORDER_QDP) then
      st = SL_ERR_ARG                 ! QDP wants nd pointers: pass a type(c_ptr)
    else
      nb = layout_bytes(lay)
      if (nb > 0 .and. n * esize < nb) st = SL_ERR_SHAPE
    end if
  end function check_host

!@ proc gauge_wrap_any
  subroutine gauge_wrap_any(ctx, lay, a, b, n, esize, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_intptr_t), intent(in) :: esize
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_host(lay, a, b, n, esize)
    if (st == SL_OK) st = c_sl_gauge_wrap(ctx%ptr, lay, a, u%ptr)
    call set_ierr(ierr, st)
  end subroutine gauge_wrap_any

!@ proc gauge_export_any
  subroutine gauge_export_any(u, lay, a, b, n, esize, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_intptr_t), intent(in) :: esize
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_host(lay, a, b, n, esize)
    if (st == SL_OK) st = c_sl_gauge_export(u%ptr, lay, a)
    call set_ierr(ierr, st)
  end subroutine gauge_export_any

!@ proc gauge_numel
  integer(c_int64_t) function gauge_numel(u)
    type(sl_gauge), intent(in) :: u
    gauge_numel = c_sl_gauge_volume(u%ptr) * c_sl_gauge_nd(u%ptr) * c_sl_gauge_nc(u%ptr) ** 2
  end function gauge_numel

!@ proc lcnn_predict_any
  ! Predictions on u through a buffer of max(volume, 1) values; out holds
  ! volume values (per-site head) or 1 (pooled), else SL_ERR_SHAPE.
  subroutine lcnn_predict_any(net, u, buf, n, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    real(c_double), allocatable, intent(out) :: buf(:)
    integer(c_int64_t), intent(in) :: n
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: vol
    vol = c_sl_gauge_volume(u%ptr)
    allocate(buf(max(vol, 1_c_int64_t)))
    buf = 0
    if (n /= vol .and. n /= 1) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_lcnn_predict(net%ptr, u%ptr, buf))
  end subroutine lcnn_predict_any

!@ proc gauge_wrap_ptr
  ! data: the host's address as is (QDP: c_loc of an array of nd c_ptr).
  subroutine gauge_wrap_ptr(ctx, lay, data, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: data
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_wrap(ctx%ptr, lay, data, u%ptr))
  end subroutine gauge_wrap_ptr

!@ proc gauge_export_ptr
  subroutine gauge_export_ptr(u, lay, data, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    type(c_ptr), intent(in) :: data
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_gauge_export(u%ptr, lay, data))
  end subroutine gauge_export_ptr

!@ proc sl_gauge_dims
  subroutine sl_gauge_dims(u, dims)
    type(sl_gauge), intent(in) :: u
    integer(c_int64_t), intent(out) :: dims(:)
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    integer :: n
    d = 0
    call c_sl_gauge_dims(u%ptr, d)
    dims = 0
    n = min(size(dims), int(SL_LATTICE_MAX_DIM))
    dims(1:n) = d(1:n)
  end subroutine sl_gauge_dims

!@ proc sl_gauge_polyakov
  subroutine sl_gauge_polyakov(u, mu, out, ierr)
    type(sl_gauge), intent(in) :: u
    integer(c_int), intent(in) :: mu
    real(c_double), intent(out) :: out(:)
    integer, intent(out), optional :: ierr
    real(c_double) :: o(2)
    out = 0
    if (size(out) < 2) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    o = 0
    call set_ierr(ierr, c_sl_gauge_polyakov(u%ptr, mu, o))
    out(1:2) = o
  end subroutine sl_gauge_polyakov

!@ proc sl_gauge_data
  subroutine sl_gauge_data(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    complex(c_double_complex), pointer, intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    integer(c_int64_t) :: n
    nullify(x)
    call set_ierr(ierr, SL_OK)
    src = c_sl_gauge_data(u%ptr)
    if (.not. c_associated(src)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    n = c_sl_gauge_volume(u%ptr) * c_sl_gauge_nd(u%ptr) * c_sl_gauge_nc(u%ptr) ** 2
    call c_f_pointer(src, x, [n])
  end subroutine sl_gauge_data

!@ proc sl_lcnn_get_params
  subroutine sl_lcnn_get_params(net, out, ierr)
    type(sl_lcnn), intent(in) :: net
    real(c_double), intent(out) :: out(:)
    integer, intent(out), optional :: ierr
    out = 0
    if (size(out, kind=c_int64_t) /= c_sl_lcnn_nparams(net%ptr)) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_lcnn_get_params(net%ptr, out))
  end subroutine sl_lcnn_get_params

!@ proc sl_lcnn_set_params
  subroutine sl_lcnn_set_params(net, in, ierr)
    type(sl_lcnn), intent(in) :: net
    real(c_double), intent(in) :: in(:)
    integer, intent(out), optional :: ierr
    if (size(in, kind=c_int64_t) /= c_sl_lcnn_nparams(net%ptr)) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_lcnn_set_params(net%ptr, in))
  end subroutine sl_lcnn_set_params

!@ proc sl_lcnn_apply
  function sl_lcnn_apply(net, g, u, params) result(n)
    type(sl_lcnn), intent(in) :: net
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: u
    type(sl_node), intent(out), optional :: params(:)
    type(sl_node) :: n
    type(c_ptr), target :: ps(SL_LCNN_MAX_LAYERS + 2)
    integer :: i
    ps = c_null_ptr
    if (present(params)) then
      n%ptr = c_sl_lcnn_apply(net%ptr, g%ptr, u%ptr, c_loc(ps))
      do i = 1, size(params)
        params(i)%ptr = c_null_ptr
        if (i <= size(ps)) params(i)%ptr = ps(i)
      end do
    else
      n%ptr = c_sl_lcnn_apply(net%ptr, g%ptr, u%ptr, c_null_ptr)
    end if
  end function sl_lcnn_apply

!@ proc sl_lcnn_predict_batch
  subroutine sl_lcnn_predict_batch(net, batch, dims, links, out, ierr)
    type(sl_lcnn), intent(in) :: net
    integer(c_int64_t), intent(in) :: batch
    integer(c_int64_t), intent(in) :: dims(:)
    complex(c_double_complex), intent(in) :: links(*)
    real(c_double), intent(out) :: out(*)
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    if (size(dims) > SL_LATTICE_MAX_DIM) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    d = 0
    d(1:size(dims)) = dims
    call set_ierr(ierr, c_sl_lcnn_predict_batch(net%ptr, batch, d, links, out))
  end subroutine sl_lcnn_predict_batch

!@ proc sl_lcnn_train
  subroutine sl_lcnn_train(net, n, nval, dims, links, targets, opts, ierr)
    type(sl_lcnn), intent(in) :: net
    integer(c_int64_t), intent(in) :: n, nval
    integer(c_int64_t), intent(in) :: dims(:)
    complex(c_double_complex), intent(in) :: links(*)
    real(c_double), intent(in) :: targets(*)
    type(sl_lcnn_train_opts), intent(in) :: opts
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    if (size(dims) > SL_LATTICE_MAX_DIM) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    d = 0
    d(1:size(dims)) = dims
    call set_ierr(ierr, c_sl_lcnn_train(net%ptr, n, nval, d, links, targets, opts))
  end subroutine sl_lcnn_train

!@ proc sl_lcnn_fit
  ! summary is intent(inout): it keeps the size sl_lcnn_fit_summary_init set.
  subroutine sl_lcnn_fit(net, dims, ntrain, links, targets, nval, val_links, val_targets, opts, &
      summary, ierr)
    type(sl_lcnn), intent(in) :: net
    integer(c_int64_t), intent(in) :: dims(:)
    integer(c_int64_t), intent(in) :: ntrain, nval
    complex(c_double_complex), intent(in) :: links(*), val_links(*)
    real(c_double), intent(in) :: targets(*), val_targets(*)
    type(sl_lcnn_train_opts), intent(in) :: opts
    type(sl_lcnn_fit_summary), intent(inout) :: summary
    integer, intent(out), optional :: ierr
    integer(c_int64_t) :: d(SL_LATTICE_MAX_DIM)
    if (size(dims) > SL_LATTICE_MAX_DIM) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    d = 0
    d(1:size(dims)) = dims
    call set_ierr(ierr, c_sl_lcnn_fit(net%ptr, d, ntrain, links, targets, nval, val_links, &
        val_targets, opts, summary))
  end subroutine sl_lcnn_fit

!@ family gauge_wrap
  subroutine gauge_wrap_{t}_{R}(ctx, lay, x, u, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_gauge_layout), intent(in) :: lay
    {T}, intent(in), target :: x{DIMS}
    type(sl_gauge), intent(out) :: u
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
{@ends}
    call gauge_wrap_any(ctx, lay, a, b, {SIZE}, {ES}_c_intptr_t, u, ierr)
  end subroutine gauge_wrap_{t}_{R}

!@ family gauge_export
  subroutine gauge_export_{t}_{R}(u, lay, x, ierr)
    type(sl_gauge), intent(in) :: u
    type(sl_gauge_layout), intent(in) :: lay
    {T}, intent(inout), target :: x{DIMS}
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
{@ends}
    call gauge_export_any(u, lay, a, b, {SIZE}, {ES}_c_intptr_t, ierr)
  end subroutine gauge_export_{t}_{R}

!@ family gauge_copy_canonical
  subroutine gauge_copy_canonical_{t}_{R}(u, x, ierr)
    type(sl_gauge), intent(in) :: u
    {T}, intent(out) :: x{DIMS}
    integer, intent(out), optional :: ierr
    x = 0
    if (size(x, kind=c_int64_t) /= gauge_numel(u) .or. size(x) == 0) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_gauge_copy_canonical(u%ptr, x))
  end subroutine gauge_copy_canonical_{t}_{R}

!@ family lcnn_predict
  subroutine lcnn_predict_{t}_{R}(net, u, x, ierr)
    type(sl_lcnn), intent(in) :: net
    type(sl_gauge), intent(in) :: u
    {T}, intent(out) :: x{DIMS}
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: buf(:)
    integer :: st
    call lcnn_predict_any(net, u, buf, {SIZE}, st)
    x = 0
[r=0]    if (st == SL_OK) x = buf(1)
[r=1]    if (st == SL_OK) x = buf(1:size(x))
[r>1]    if (st == SL_OK) x = reshape(buf(1:size(x)), shape(x))
    call set_ierr(ierr, int(st, c_int))
  end subroutine lcnn_predict_{t}_{R}
