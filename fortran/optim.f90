! Hand-written procedures and family templates of area optim
! (fortran/optim.txt; sections as in fortran/graph.f90).

!@ proc optim_bind_any
  subroutine optim_bind_any(o, node, a, b, n, dtype, esize, ierr)
    type(c_ptr), intent(in) :: o, node, a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_array(node, a, b, n, dtype, esize)
    if (st == SL_OK) st = c_sl_optim_bind(o, node, a)
    call set_ierr(ierr, st)
  end subroutine optim_bind_any

!@ family optim_bind
  subroutine optim_bind_{t}_{R}(h, input, x, ierr)
    type(sl_optim), intent(in) :: h
    type(sl_node), intent(in) :: input
    {T}, intent(in), target :: x{DIMS}
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
{@ends}
    call optim_bind_any(h%ptr, input%ptr, a, b, {SIZE}, {DT}, {ES}_c_intptr_t, ierr)
  end subroutine optim_bind_{t}_{R}
