! Hand-written procedures of area core (fortran/core.txt; sections as in
! fortran/base.f90).

!@ proc sl_c_shape
  function sl_c_shape(fshape) result(cshape)
    integer, intent(in) :: fshape(:)
    integer(c_int64_t) :: cshape(size(fshape))
    integer :: i
    do i = 1, size(fshape)
      cshape(i) = int(fshape(size(fshape) + 1 - i), c_int64_t)
    end do
  end function sl_c_shape

!@ proc sl_ctx_create
  subroutine sl_ctx_create(ctx, ierr, opts)
    type(sl_ctx), intent(out) :: ctx
    integer, intent(out), optional :: ierr
    type(sl_ctx_opts), intent(in), optional, target :: opts
    type(c_ptr) :: p
    p = c_null_ptr
    if (present(opts)) p = c_loc(opts)
    call set_ierr(ierr, c_sl_ctx_create(ctx%ptr, p))
  end subroutine sl_ctx_create
