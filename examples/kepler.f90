! Kepler orbits (B5) from Fortran: the energy, the angular momentum and the
! Laplace-Runge-Lenz vector by the exact conserved-quantity mode, in the
! monomials of degree <= 3 plus {1/r, x/r, y/r} (given here as text
! features), printed as text and as Fortran expressions.  Stops with a
! nonzero status when they are not recovered.
! Build and run: make fortran-examples (build/fortran/kepler)
program kepler
  use symlearn
  use, intrinsic :: iso_c_binding, only: c_null_ptr
  implicit none
  type(sl_ctx) :: ctx
  type(sl_system) :: s
  type(sl_features) :: lib
  type(sl_conserved_opts) :: o
  type(sl_conserved_result) :: r
  real(c_double) :: lo(4), hi(4)
  integer :: st
  integer(c_int64_t) :: j
  logical :: ok, have_l, have_h

  call sl_ctx_create(ctx)
  call sl_system_create(ctx, SL_SYSTEM_KEPLER, s, st)
  call sl_system_box(s, lo, hi)
  call sl_features_create(ctx, 4_c_int64_t, lib, st)
  call sl_features_set_names(lib, 'x y px py', st)
  call sl_features_add_monomials(lib, 1, 3, st)
  call sl_features_add_text(lib, '1/sqrt(x^2 + y^2); x/sqrt(x^2 + y^2); y/sqrt(x^2 + y^2)', st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  call sl_conserved_opts_init(o)
  o%domain = sl_system_in_domain()
  o%domain_user = s%ptr
  call sl_discover_conserved(ctx, o, sl_system_vector_field(), s%ptr, 4_c_int64_t, lo, hi, 0_c_int64_t, &
                             c_null_ptr, lib, r, st)
  if (st /= SL_OK) then
    print '(a)', sl_ctx_errmsg(ctx)
    error stop 1
  end if
  print '(a, i0, a, i0, a)', 'kepler (Fortran): ', sl_conserved_result_count(r), ' quantities, ', &
        sl_conserved_result_independent(r), ' independent'
  have_l = .false.
  have_h = .false.
  do j = 0, sl_conserved_result_count(r) - 1
    print '(a, i0, a, a)', '  I', j + 1, ' = ', sl_conserved_result_formula(r, j, SL_FORMULA_TEXT)
    print '(a, a)', '     Fortran: ', sl_formula_convert(sl_conserved_result_formula(r, j, SL_FORMULA_C), SL_FORMULA_FORTRAN)
    if (sl_conserved_result_formula(r, j, SL_FORMULA_TEXT) == 'x py - y px') have_l = .true.
    if (sl_conserved_result_formula(r, j, SL_FORMULA_TEXT) == '-0.5 px^2 - 0.5 py^2 + 1/sqrt(x^2 + y^2)') have_h = .true.
  end do
  ok = sl_conserved_result_count(r) == 4 .and. sl_conserved_result_independent(r) == 3 .and. have_l .and. have_h
  call sl_conserved_result_destroy(r)
  call sl_features_destroy(lib)
  call sl_system_destroy(s)
  call sl_ctx_destroy(ctx)
  if (.not. ok) then
    print '(a)', 'kepler: FAILED to recover E, L and the Runge-Lenz vector'
    error stop 1
  end if
  print '(a)', 'kepler: E, L and the Runge-Lenz vector recovered'
end program kepler
