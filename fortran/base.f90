! Module symlearn_base: the helpers every area module uses.  Not part of the
! interface: module symlearn does not re-export it.  Sections (fortran/gen.py):
! '!@ decl' goes to the specification part, '!@ proc' after `contains`,
! '!@ macro NAME' is text that family templates include as {@NAME}.

!@ decl
  interface
    function c_strlen(s) bind(c, name='strlen')
      import :: c_ptr, c_size_t
      integer(c_size_t) :: c_strlen
      type(c_ptr), value :: s
    end function c_strlen
  end interface

!@ proc set_ierr
  subroutine set_ierr(ierr, st)
    integer, intent(out), optional :: ierr
    integer(c_int), intent(in) :: st
    if (present(ierr)) ierr = int(st)
  end subroutine set_ierr

!@ proc c_flag
  ! A C int flag from a Fortran logical: 1 for .true., 0 for .false.
  integer(c_int) function c_flag(on)
    logical, intent(in) :: on
    c_flag = 0
    if (on) c_flag = 1
  end function c_flag

!@ proc to_c_string
  ! A NUL-terminated copy of s, as an array the C side can point to.
  subroutine to_c_string(s, buf)
    character(*), intent(in) :: s
    character(kind=c_char), allocatable, intent(out) :: buf(:)
    integer :: i
    allocate(buf(len(s) + 1))
    do i = 1, len(s)
      buf(i) = s(i:i)
    end do
    buf(len(s) + 1) = c_null_char
  end subroutine to_c_string

!@ proc from_c_string
  ! Copy of a NUL-terminated C string ("" for NULL).
  function from_c_string(p) result(s)
    type(c_ptr), intent(in) :: p
    character(:), allocatable :: s
    character(kind=c_char), pointer :: chars(:)
    integer :: i, n
    if (.not. c_associated(p)) then
      s = ''
      return
    end if
    n = int(c_strlen(p))
    call c_f_pointer(p, chars, [n])
    allocate(character(n) :: s)
    do i = 1, n
      s(i:i) = chars(i)
    end do
  end function from_c_string

!@ proc addr
  ! Address distance, for the contiguity checks of arrays the library keeps.
  function addr(p) result(a)
    type(c_ptr), intent(in) :: p
    integer(c_intptr_t) :: a
    a = transfer(p, a)
  end function addr

!@ macro ends
[r=0]    a = c_loc(x)
[r=0]    b = a
[r>0]    a = c_null_ptr
[r>0]    b = c_null_ptr
[r>0]    if (size(x) > 0) then
[r>0]      a = c_loc(x({FIRST}))
[r>0]      b = c_loc(x({LAST}))
[r>0]    end if
