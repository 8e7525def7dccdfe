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

!@ proc sl_formula_convert
  function sl_formula_convert(f, style, ierr) result(s)
    character(*), intent(in) :: f
    integer, intent(in) :: style
    integer, intent(out), optional :: ierr
    character(:), allocatable :: s
    character(kind=c_char), allocatable, target :: cf(:), buf(:)
    integer(c_int64_t) :: n
    integer :: i
    allocate(cf(len(f) + 1))
    do i = 1, len(f)
      cf(i) = f(i:i)
    end do
    cf(len(f) + 1) = c_null_char
    if (present(ierr)) ierr = SL_OK
    n = c_sl_formula_convert(c_loc(cf), int(style, c_int), c_null_ptr, 0_c_int64_t)
    if (n < 0) then
      s = ''
      if (present(ierr)) ierr = SL_ERR_ARG
      return
    end if
    allocate(buf(n + 1))
    n = c_sl_formula_convert(c_loc(cf), int(style, c_int), c_loc(buf), n + 1)
    allocate(character(len=int(n)) :: s)
    do i = 1, int(n)
      s(i:i) = buf(i)
    end do
  end function sl_formula_convert

!@ proc sl_regression_candidate_coefficients
  subroutine sl_regression_candidate_coefficients(r, i, c)
    type(sl_regression), intent(in) :: r
    integer(c_int64_t), intent(in) :: i
    real(c_double), allocatable, intent(out) :: c(:)
    real(c_double), pointer :: raw(:)
    type(c_ptr) :: p
    integer :: t
    t = int(sl_regression_terms(r))
    p = c_sl_regression_candidate_coefficients(r%ptr, i)
    if (.not. c_associated(p)) t = 0
    allocate(c(t))
    if (t == 0) return
    call c_f_pointer(p, raw, [t])
    c = raw
  end subroutine sl_regression_candidate_coefficients

!@ proc sl_sindy_fit
  subroutine sl_sindy_fit(ctx, opts, lib, x, len, dt, m, dxdt, ierr)
    type(sl_ctx), intent(in) :: ctx
    type(sl_regression_opts), intent(in), optional, target :: opts
    type(sl_features), intent(in) :: lib
    real(c_double), intent(in), target :: x(:, :)
    integer(c_int64_t), intent(in) :: len(:)
    real(c_double), intent(in) :: dt
    type(sl_sindy_model), intent(out) :: m
    real(c_double), intent(in), optional, target :: dxdt(:, :)
    integer, intent(out), optional :: ierr
    type(c_ptr), allocatable, target :: px(:), pd(:)
    type(c_ptr) :: po, ppd
    integer(c_int64_t) :: t, col
    integer(c_int) :: st
    m%ptr = c_null_ptr
    if (sum(len) /= size(x, 2) .or. any(len < 1) .or. size(len) < 1) then
      if (present(ierr)) ierr = SL_ERR_ARG
      return
    end if
    if (present(dxdt)) then
      if (any(shape(dxdt) /= shape(x))) then
        if (present(ierr)) ierr = SL_ERR_ARG
        return
      end if
    end if
    allocate(px(size(len)), pd(size(len)))
    col = 1
    do t = 1, size(len)
      px(t) = c_loc(x(1, col))
      pd(t) = c_null_ptr
      if (present(dxdt)) pd(t) = c_loc(dxdt(1, col))
      col = col + len(t)
    end do
    po = c_null_ptr
    if (present(opts)) po = c_loc(opts)
    ppd = c_null_ptr
    if (present(dxdt)) ppd = c_loc(pd)
    st = c_sl_sindy_fit(ctx%ptr, po, lib%ptr, int(size(len), c_int64_t), c_loc(px), len, ppd, dt, m%ptr)
    if (present(ierr)) ierr = int(st)
  end subroutine sl_sindy_fit

!@ proc sl_sindy_model_coefficients
  subroutine sl_sindy_model_coefficients(m, xi)
    type(sl_sindy_model), intent(in) :: m
    real(c_double), allocatable, intent(out) :: xi(:, :)
    real(c_double), pointer :: raw(:, :)
    integer :: k, d
    k = int(sl_sindy_model_features(m))
    d = int(sl_sindy_model_dim(m))
    allocate(xi(k, d))
    if (k == 0 .or. d == 0) return
    call c_f_pointer(c_sl_sindy_model_coefficients(m%ptr), raw, [k, d])
    xi = raw
  end subroutine sl_sindy_model_coefficients

!@ proc sl_sindy_vector_field
  function sl_sindy_vector_field() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_sindy_vector_field)
  end function sl_sindy_vector_field

!@ proc sl_conserved_result_singular_values
  subroutine sl_conserved_result_singular_values(r, sv)
    type(sl_conserved_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: sv(:)
    real(c_double), pointer :: raw(:)
    type(c_ptr) :: p
    integer(c_int64_t) :: n
    n = 0
    p = c_sl_conserved_result_singular_values(r%ptr, n)
    allocate(sv(max(n, 0_c_int64_t)))
    if (n <= 0 .or. .not. c_associated(p)) return
    call c_f_pointer(p, raw, [n])
    sv = raw
  end subroutine sl_conserved_result_singular_values

!@ proc sl_conserved_result_explained
  subroutine sl_conserved_result_explained(r, e)
    type(sl_conserved_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: e(:)
    real(c_double), pointer :: raw(:)
    type(c_ptr) :: p
    integer(c_int64_t) :: n
    n = 0
    p = c_sl_conserved_result_explained(r%ptr, n)
    allocate(e(max(n, 0_c_int64_t)))
    if (n <= 0 .or. .not. c_associated(p)) return
    call c_f_pointer(p, raw, [n])
    e = raw
  end subroutine sl_conserved_result_explained

!@ proc sl_conserved_result_brackets
  subroutine sl_conserved_result_brackets(r, b)
    type(sl_conserved_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: b(:, :)
    real(c_double), pointer :: raw(:, :)
    type(c_ptr) :: p
    integer(c_int64_t) :: m
    p = c_sl_conserved_result_brackets(r%ptr)
    m = sl_conserved_result_count(r)
    if (.not. c_associated(p)) m = 0
    allocate(b(m, m))
    if (m == 0) return
    call c_f_pointer(p, raw, [m, m])
    b = transpose(raw)
  end subroutine sl_conserved_result_brackets
