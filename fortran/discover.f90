! Hand-written procedures of area discover (fortran/discover.txt; sections as
! in fortran/graph.f90): the natural-index wrappers that transpose.

!@ proc sl_lie_structure_constants
  subroutine sl_lie_structure_constants(ctx, gens, f, residual, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: gens(:, :, :)
    real(c_double), allocatable, intent(out) :: f(:, :, :)
    real(c_double), intent(out), optional :: residual
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: gt(:, :, :), raw(:, :, :)
    real(c_double) :: res
    integer :: n, d, a, b
    n = size(gens, 1)
    d = size(gens, 3)
    allocate(gt(n, n, d), raw(d, d, d), f(d, d, d))
    do a = 1, d
      gt(:, :, a) = transpose(gens(:, :, a))
    end do
    res = 0
    call set_ierr(ierr, c_sl_lie_structure_constants(ctx%ptr, int(d, c_int), int(n, c_int), gt, raw, res))
    do a = 1, d
      do b = 1, d
        f(a, b, :) = raw(:, b, a)
      end do
    end do
    if (present(residual)) residual = res
  end subroutine sl_lie_structure_constants

!@ proc sl_lie_killing_form
  subroutine sl_lie_killing_form(ctx, f, k, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: f(:, :, :)
    real(c_double), allocatable, intent(out) :: k(:, :)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable :: raw(:, :, :)
    integer :: d, a, b
    d = size(f, 1)
    allocate(raw(d, d, d), k(d, d))
    do a = 1, d
      do b = 1, d
        raw(:, b, a) = f(a, b, :)
      end do
    end do
    call set_ierr(ierr, c_sl_lie_killing_form(ctx%ptr, int(d, c_int), raw, k))
    k = transpose(k)
  end subroutine sl_lie_killing_form

!@ proc sl_lie_span_distance
  subroutine sl_lie_span_distance(ctx, a, b, dist, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: a(:, :, :), b(:, :, :)
    real(c_double), intent(out) :: dist
    integer, intent(out), optional :: ierr
    dist = 1
    call set_ierr(ierr, c_sl_lie_span_distance(ctx%ptr, int(size(a, 1), c_int), int(size(a, 3), c_int), &
        a, int(size(b, 3), c_int), b, dist))
  end subroutine sl_lie_span_distance

!@ proc sl_symmetry_opts_oracle_quadratic
  subroutine sl_symmetry_opts_oracle_quadratic(o, n, g, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: n
    real(c_double), intent(in), optional :: g(:, :)
    integer, intent(out), optional :: ierr
    real(c_double), allocatable, target :: gt(:, :)
    type(c_ptr) :: p
    p = c_null_ptr
    if (present(g)) then
      if (size(g, 1) /= n .or. size(g, 2) /= n) then
        call set_ierr(ierr, SL_ERR_SHAPE)
        return
      end if
      allocate(gt(n, n))
      gt = transpose(g)
      p = c_loc(gt)
    end if
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_quadratic(o%ptr, int(n, c_int), p))
  end subroutine sl_symmetry_opts_oracle_quadratic

!@ proc sl_symmetry_opts_oracle_hermitian
  subroutine sl_symmetry_opts_oracle_hermitian(o, n, h, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    integer, intent(in) :: n
    complex(c_double_complex), intent(in), optional :: h(:, :)
    integer, intent(out), optional :: ierr
    complex(c_double_complex), allocatable, target :: ht(:, :)
    type(c_ptr) :: p
    p = c_null_ptr
    if (present(h)) then
      if (size(h, 1) /= n .or. size(h, 2) /= n) then
        call set_ierr(ierr, SL_ERR_SHAPE)
        return
      end if
      allocate(ht(n, n))
      ht = transpose(h)
      p = c_loc(ht)
    end if
    call set_ierr(ierr, c_sl_symmetry_opts_oracle_hermitian(o%ptr, int(n, c_int), p))
  end subroutine sl_symmetry_opts_oracle_hermitian

!@ proc sl_symmetry_opts_set_samples
  subroutine sl_symmetry_opts_set_samples(o, x, ierr)
    type(sl_symmetry_opts), intent(in) :: o
    real(c_double), intent(in), target, contiguous :: x(:, :)
    integer, intent(out), optional :: ierr
    call set_ierr(ierr, c_sl_symmetry_opts_set_samples(o%ptr, int(size(x, 2), c_int64_t), c_loc(x)))
  end subroutine sl_symmetry_opts_set_samples

!@ proc sl_discover_symmetries_quadratic
  subroutine sl_discover_symmetries_quadratic(ctx, g, r, ierr)
    type(sl_ctx), intent(in) :: ctx
    real(c_double), intent(in) :: g(:, :)
    type(sl_symmetry_result), intent(out) :: r
    integer, intent(out), optional :: ierr
    type(sl_symmetry_opts) :: o
    integer :: st
    call sl_symmetry_opts_create(ctx, o, st)
    if (st == SL_OK) call sl_symmetry_opts_oracle_quadratic(o, size(g, 1), g, st)
    if (st == SL_OK) call sl_discover_symmetries(ctx, o, r, st)
    call sl_symmetry_opts_destroy(o)
    if (present(ierr)) ierr = st
  end subroutine sl_discover_symmetries_quadratic

!@ proc sl_symmetry_result_generators
  subroutine sl_symmetry_result_generators(r, j)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: j(:, :, :)
    real(c_double), pointer :: raw(:, :, :)
    integer :: n, d, a
    n = sl_symmetry_result_n(r)
    d = sl_symmetry_result_dim(r)
    allocate(j(n, n, d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_generators(r%ptr), raw, [n, n, d])
    do a = 1, d
      j(:, :, a) = transpose(raw(:, :, a))
    end do
  end subroutine sl_symmetry_result_generators

!@ proc sl_symmetry_result_structure_constants
  subroutine sl_symmetry_result_structure_constants(r, f)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: f(:, :, :)
    real(c_double), pointer :: raw(:, :, :)
    integer :: d, a, b
    d = sl_symmetry_result_dim(r)
    allocate(f(d, d, d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_structure_constants(r%ptr), raw, [d, d, d])
    do a = 1, d
      do b = 1, d
        f(a, b, :) = raw(:, b, a)
      end do
    end do
  end subroutine sl_symmetry_result_structure_constants

!@ proc sl_symmetry_result_killing_form
  subroutine sl_symmetry_result_killing_form(r, k)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: k(:, :)
    real(c_double), pointer :: raw(:, :)
    integer :: d
    d = sl_symmetry_result_dim(r)
    allocate(k(d, d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_killing_form(r%ptr), raw, [d, d])
    k = transpose(raw)
  end subroutine sl_symmetry_result_killing_form

!@ proc sl_symmetry_result_killing_eigenvalues
  subroutine sl_symmetry_result_killing_eigenvalues(r, e)
    type(sl_symmetry_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: e(:)
    real(c_double), pointer :: raw(:)
    integer :: d
    d = sl_symmetry_result_dim(r)
    allocate(e(d))
    if (d == 0) return
    call c_f_pointer(c_sl_symmetry_result_killing_eigenvalues(r%ptr), raw, [d])
    e = raw
  end subroutine sl_symmetry_result_killing_eigenvalues

!@ proc sl_symmetry_result_reason
  function sl_symmetry_result_reason(r, text) result(code)
    type(sl_symmetry_result), intent(in) :: r
    character(:), allocatable, intent(out), optional :: text
    integer :: code
    type(c_ptr) :: p
    p = c_null_ptr
    code = int(c_sl_symmetry_result_reason(r%ptr, p))
    if (present(text)) text = from_c_string(p)
  end function sl_symmetry_result_reason

!@ proc sl_invariant_result_losses
  subroutine sl_invariant_result_losses(r, loss)
    type(sl_invariant_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: loss(:)
    real(c_double), pointer :: raw(:)
    type(c_ptr) :: p
    integer :: n
    p = c_null_ptr
    n = int(c_sl_invariant_result_losses(r%ptr, p))
    allocate(loss(max(n, 0)))
    if (n <= 0 .or. .not. c_associated(p)) return
    call c_f_pointer(p, raw, [n])
    loss = raw
  end subroutine sl_invariant_result_losses

!@ proc sl_invariant_result_encode
  subroutine sl_invariant_result_encode(r, x, f, grad, ierr)
    type(sl_invariant_result), intent(in) :: r
    real(c_double), intent(in), contiguous :: x(:, :)
    real(c_double), intent(out), contiguous :: f(:, :)
    real(c_double), intent(out), contiguous, target, optional :: grad(:, :, :)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: gp
    integer(c_int64_t) :: d, k, m
    d = sl_invariant_result_dim(r)
    k = int(sl_invariant_result_nlatent(r), c_int64_t)
    m = size(x, 2, kind=c_int64_t)
    if (.not. c_associated(r%ptr)) then
      call set_ierr(ierr, int(SL_ERR_NULL, c_int))
      return
    end if
    if (size(x, 1, kind=c_int64_t) /= d .or. size(f, 1, kind=c_int64_t) /= k &
        .or. size(f, 2, kind=c_int64_t) /= m) then
      call set_ierr(ierr, int(SL_ERR_SHAPE, c_int))
      return
    end if
    gp = c_null_ptr
    if (present(grad)) then
      if (size(grad, 1, kind=c_int64_t) /= d .or. size(grad, 2, kind=c_int64_t) /= k &
          .or. size(grad, 3, kind=c_int64_t) /= m) then
        call set_ierr(ierr, int(SL_ERR_SHAPE, c_int))
        return
      end if
      gp = c_loc(grad)
    end if
    call set_ierr(ierr, c_sl_invariant_result_encode(r%ptr, m, x, f, gp))
  end subroutine sl_invariant_result_encode

!@ proc sl_invariant_result_weights
  subroutine sl_invariant_result_weights(r, w, mean, scale, ierr)
    type(sl_invariant_result), intent(in) :: r
    real(c_double), allocatable, intent(out) :: w(:), mean(:), scale(:)
    integer, intent(out), optional :: ierr
    allocate(w(max(sl_invariant_result_nweights(r), 0_c_int64_t)))
    allocate(mean(max(sl_invariant_result_dim(r), 0_c_int64_t)))
    allocate(scale(max(sl_invariant_result_dim(r), 0_c_int64_t)))
    call set_ierr(ierr, c_sl_invariant_result_weights(r%ptr, w, mean, scale))
  end subroutine sl_invariant_result_weights

!@ proc sl_invariant_result_fit
  subroutine sl_invariant_result_fit(r, latent, mode, coef, residual, x, ierr)
    type(sl_invariant_result), intent(in) :: r
    integer, intent(in) :: latent, mode
    real(c_double), allocatable, intent(out) :: coef(:)
    real(c_double), intent(out), optional, target :: residual
    real(c_double), intent(in), contiguous, target, optional :: x(:, :)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: xp, rp
    integer(c_int64_t) :: d, m
    d = sl_invariant_result_dim(r)
    allocate(coef(max(1 + d + d * (d + 1) / 2, 1_c_int64_t)))
    xp = c_null_ptr
    rp = c_null_ptr
    m = 0
    if (present(x)) then
      if (size(x, 1, kind=c_int64_t) /= d) then
        call set_ierr(ierr, int(SL_ERR_SHAPE, c_int))
        return
      end if
      m = size(x, 2, kind=c_int64_t)
      xp = c_loc(x)
    end if
    if (present(residual)) rp = c_loc(residual)
    call set_ierr(ierr, c_sl_invariant_result_fit(r%ptr, int(latent, c_int), int(mode, c_int), m, xp, &
                                                  coef, rp))
  end subroutine sl_invariant_result_fit
