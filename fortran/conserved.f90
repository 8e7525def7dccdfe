! Hand-written procedures of area conserved (fortran/conserved.txt; sections
! as in fortran/graph.f90): the C callbacks of the built-in systems as
! function pointers, and copies of arrays owned by results.

!@ proc sl_system_vector_field
  function sl_system_vector_field() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_system_vector_field)
  end function sl_system_vector_field

!@ proc sl_system_in_domain
  function sl_system_in_domain() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_system_in_domain)
  end function sl_system_in_domain

!@ proc sl_system_grad_v
  function sl_system_grad_v() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_system_grad_v)
  end function sl_system_grad_v

!@ proc sl_system_grad_t
  function sl_system_grad_t() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_system_grad_t)
  end function sl_system_grad_t

!@ proc sl_system_grad_h
  function sl_system_grad_h() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_system_grad_h)
  end function sl_system_grad_h

!@ proc sl_regression_coefficients
  subroutine sl_regression_coefficients(r, c)
    type(sl_regression), intent(in) :: r
    real(c_double), allocatable, intent(out) :: c(:)
    real(c_double), pointer :: raw(:)
    integer :: t
    t = int(sl_regression_terms(r))
    allocate(c(t))
    if (t == 0) return
    call c_f_pointer(c_sl_regression_coefficients(r%ptr), raw, [t])
    c = raw
  end subroutine sl_regression_coefficients

!@ proc sl_regression_normalised
  subroutine sl_regression_normalised(r, c)
    type(sl_regression), intent(in) :: r
    real(c_double), allocatable, intent(out) :: c(:)
    real(c_double), pointer :: raw(:)
    integer :: t
    t = int(sl_regression_terms(r))
    allocate(c(t))
    if (t == 0) return
    call c_f_pointer(c_sl_regression_normalised(r%ptr), raw, [t])
    c = raw
  end subroutine sl_regression_normalised

!@ proc sl_conserved_result_coefficients
  subroutine sl_conserved_result_coefficients(r, theta)
    type(sl_conserved_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: theta(:, :)
    real(c_double), pointer :: raw(:, :)
    integer :: k, m
    k = int(sl_conserved_result_features(r))
    m = int(sl_conserved_result_count(r))
    allocate(theta(k, m))
    if (k == 0 .or. m == 0) return
    call c_f_pointer(c_sl_conserved_result_coefficients(r%ptr), raw, [k, m])
    theta = raw
  end subroutine sl_conserved_result_coefficients
