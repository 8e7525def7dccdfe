! The check helper of the Fortran tests (tests/test_fortran_*.f90), the
! counterpart of tests/check.h: each check counts as passed or failed (a
! failure is printed with what was checked), and check_done prints the line
! `N passed, N failed` that tests/run.sh adds up, then stops with a nonzero
! exit code when anything failed.
module checks
  use, intrinsic :: iso_c_binding, only: c_double
  implicit none
  private
  public :: check, check_close, expect_ok, check_done, quick

  integer :: npass = 0, nfail = 0

contains

  subroutine check(what, ok)
    character(*), intent(in) :: what
    logical, intent(in) :: ok
    if (ok) then
      npass = npass + 1
    else
      nfail = nfail + 1
      print '(a, a)', 'FAIL: ', what
    end if
  end subroutine check

  ! |got - want| <= tol * max(1, |want|).
  subroutine check_close(what, got, want, tol)
    character(*), intent(in) :: what
    real(c_double), intent(in) :: got, want, tol
    logical :: ok
    ok = abs(got - want) <= tol * max(1.0_c_double, abs(want))
    if (.not. ok) print '(a, a, es24.16, a, es24.16)', what, ': got ', got, ', want ', want
    call check(what, ok)
  end subroutine check_close

  ! A setup step that must succeed (status 0); counts as a check.
  subroutine expect_ok(what, status)
    character(*), intent(in) :: what
    integer, intent(in) :: status
    if (status /= 0) print '(a, a, i0)', what, ': status ', status
    call check(what, status == 0)
  end subroutine expect_ok

  subroutine check_done()
    print '(i0, a, i0, a)', npass, ' passed, ', nfail, ' failed'
    if (nfail > 0) error stop 1
  end subroutine check_done

  ! SL_TEST_QUICK is set (CI's valgrind run): shorten what is slow.
  logical function quick()
    integer :: n, st
    call get_environment_variable('SL_TEST_QUICK', length=n, status=st)
    quick = st == 0 .and. n > 0
  end function quick

end module checks
