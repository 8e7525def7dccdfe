! Hand-written procedures of area cy (fortran/cy.txt; sections as in
! fortran/graph.f90).

!@ proc sl_cy_model_diagnostics
  ! out is filled by C; its size field is set here (an intent(out) mirror
  ! would arrive with size 0).  ricci, min_eig: (n); transition: (namb, namb),
  ! transition(b, a) = C's transition[a][b] (patch a to patch b).
  subroutine sl_cy_model_diagnostics(m, p, out, ricci, min_eig, transition, ierr)
    type(sl_cy_model), intent(in) :: m
    type(sl_cy_points), intent(in) :: p
    type(sl_cy_diagnostics), intent(out), target :: out
    real(c_double), intent(out) :: ricci(*), min_eig(*), transition(*)
    integer, intent(out), optional :: ierr
    out%size = c_sizeof(out)
    call set_ierr(ierr, c_sl_cy_model_diagnostics(m%ptr, p%ptr, out, ricci, min_eig, transition))
  end subroutine sl_cy_model_diagnostics
