! Hand-written procedures of area hnn (fortran/hnn.txt; sections as in
! fortran/graph.f90): copies of arrays owned by the model.

!@ proc sl_hnn_losses
  subroutine sl_hnn_losses(h, loss)
    type(sl_hnn), intent(in) :: h
    real(c_double), allocatable, intent(out) :: loss(:)
    real(c_double), pointer :: raw(:)
    type(c_ptr) :: p
    integer(c_int64_t) :: n
    n = c_sl_hnn_losses(h%ptr, p)
    allocate(loss(n))
    if (n == 0) return
    call c_f_pointer(p, raw, [n])
    loss = raw
  end subroutine sl_hnn_losses
