! Hand-written procedures and family templates of area graph
! (fortran/graph.txt).  '!@ proc NAME': a procedure (public when graph.txt
! names it, else a private helper); '!@ family NAME': a template expanded per
! element type {t} (f64, c128) and rank {R} (placeholders: fortran/README.md).

!@ proc check_array
  ! Checks shared by the array arguments that are kept by the library: a
  ! (first element) and b (last) must lie (n-1)*esize bytes apart, and the
  ! array must have node's size and dtype (node may be null).
  function check_array(node, a, b, n, dtype, esize) result(st)
    type(c_ptr), intent(in) :: node, a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    integer(c_int) :: st
    st = SL_OK
    if (n < 1) then
      st = SL_ERR_SHAPE
    else if (addr(b) - addr(a) /= (n - 1) * esize) then
      st = SL_ERR_ARG
    else if (c_associated(node)) then
      if (c_sl_node_dtype(node) /= dtype) then
        st = SL_ERR_DTYPE
      else if (c_sl_node_numel(node) /= n) then
        st = SL_ERR_SHAPE
      end if
    end if
  end function check_array

!@ proc node_ptrs
  function node_ptrs(xs) result(ps)
    type(sl_node), intent(in) :: xs(:)
    type(c_ptr) :: ps(max(size(xs), 1))
    integer :: i
    ps = c_null_ptr
    do i = 1, size(xs)
      ps(i) = xs(i)%ptr
    end do
  end function node_ptrs

!@ proc plan_bind_any
  subroutine plan_bind_any(p, node, a, b, n, dtype, esize, ierr)
    type(c_ptr), intent(in) :: p, node, a, b
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    st = check_array(node, a, b, n, dtype, esize)
    if (st == SL_OK) st = c_sl_plan_bind(p, node, a)
    call set_ierr(ierr, st)
  end subroutine plan_bind_any

!@ proc wrap_any
  subroutine wrap_any(ctx, shape, a, b, n, dtype, esize, t, ierr)
    type(c_ptr), intent(in) :: ctx, a, b
    integer(c_int64_t), intent(in) :: shape(:)
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer(c_intptr_t), intent(in) :: esize
    type(c_ptr), intent(out) :: t
    integer, intent(out), optional :: ierr
    integer(c_int) :: st
    t = c_null_ptr
    st = check_array(c_null_ptr, a, b, n, dtype, esize)
    if (st == SL_OK .and. product(shape) /= n) st = SL_ERR_SHAPE
    if (st == SL_OK) st = c_sl_tensor_wrap(ctx, dtype, size(shape, kind=c_int), shape, &
        c_null_ptr, a, t)
    call set_ierr(ierr, st)
  end subroutine wrap_any

!@ proc leaf_any
  ! Param (what = 1) or constant (2) from copied data.  A size that does not
  ! match the shape is passed on as rank -1, so the graph records SL_ERR_SHAPE.
  function leaf_any(g, what, shape, a, n, dtype, name) result(node)
    type(c_ptr), intent(in) :: g, a
    integer, intent(in) :: what
    integer(c_int64_t), intent(in) :: shape(:)
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    character(*), intent(in), optional :: name
    type(c_ptr) :: node
    integer(c_int) :: rank
    character(kind=c_char), allocatable, target :: buf(:)
    type(c_ptr) :: cname
    rank = size(shape, kind=c_int)
    if (product(shape) /= n) rank = -1
    if (what == 1) then
      cname = c_null_ptr
      if (present(name)) then
        call to_c_string(name, buf)
        cname = c_loc(buf)
      end if
      node = c_sl_graph_param(g, dtype, rank, shape, a, cname)
    else
      node = c_sl_graph_constant(g, dtype, rank, shape, a)
    end if
  end function leaf_any

!@ proc output_any
  ! Source of an output copy (NULL with ierr set when it cannot be used).
  function output_any(p, i, node, n, dtype, ierr) result(src)
    type(c_ptr), intent(in) :: p, node
    integer, intent(in) :: i
    integer(c_int64_t), intent(in) :: n
    integer(c_int), intent(in) :: dtype
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    call set_ierr(ierr, SL_OK)
    if (c_associated(node)) then
      if (c_sl_node_dtype(node) /= dtype) then
        call set_ierr(ierr, SL_ERR_DTYPE)
        src = c_null_ptr
        return
      else if (c_sl_node_numel(node) /= n) then
        call set_ierr(ierr, SL_ERR_SHAPE)
        src = c_null_ptr
        return
      end if
      src = c_sl_plan_value(p, node)
    else
      src = c_sl_plan_output(p, int(i, c_int))
    end if
    if (.not. c_associated(src)) call set_ierr(ierr, SL_ERR_STATE)
  end function output_any

!@ family tensor_wrap
  subroutine tensor_wrap_{t}_{R}(ctx, shape, x, t, ierr)
    type(sl_ctx), intent(in) :: ctx
    integer(c_int64_t), intent(in) :: shape(:)
    {T}, intent(inout), target :: x{DIMS}
    type(sl_tensor), intent(out) :: t
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
{@ends}
    call wrap_any(ctx%ptr, shape, a, b, {SIZE}, {DT}, {ES}_c_intptr_t, t%ptr, ierr)
  end subroutine tensor_wrap_{t}_{R}

!@ family tensor_fill
  subroutine tensor_fill_{t}(t, value, ierr)
    type(sl_tensor), intent(in) :: t
    {T}, intent(in) :: value
    integer, intent(out), optional :: ierr
[t=f64]    call set_ierr(ierr, c_sl_tensor_fill(t%ptr, value, 0.0_c_double))
[t=c128]    call set_ierr(ierr, c_sl_tensor_fill(t%ptr, real(value, c_double), aimag(value)))
  end subroutine tensor_fill_{t}

!@ proc sl_tensor_permute
  subroutine sl_tensor_permute(t, perm, view, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int), intent(in) :: perm(:)
    type(sl_tensor), intent(out) :: view
    integer, intent(out), optional :: ierr
    if (size(perm) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    call set_ierr(ierr, c_sl_tensor_permute(t%ptr, perm, view%ptr))
  end subroutine sl_tensor_permute

!@ family tensor_get
  subroutine tensor_get_{t}(t, index, value, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: index(:)
    {T}, intent(out) :: value
    integer, intent(out), optional :: ierr
    real(c_double) :: v(2)
    value = 0
    if (size(index) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_tensor_dtype(t%ptr) /= {DT}) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    v = 0
    call set_ierr(ierr, c_sl_tensor_get(t%ptr, index, v))
[t=f64]    value = v(1)
[t=c128]    value = cmplx(v(1), v(2), c_double_complex)
  end subroutine tensor_get_{t}

!@ family tensor_set
  subroutine tensor_set_{t}(t, index, value, ierr)
    type(sl_tensor), intent(in) :: t
    integer(c_int64_t), intent(in) :: index(:)
    {T}, intent(in) :: value
    integer, intent(out), optional :: ierr
    if (size(index) /= c_sl_tensor_rank(t%ptr)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_tensor_dtype(t%ptr) /= {DT}) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
[t=f64]    call set_ierr(ierr, c_sl_tensor_set(t%ptr, index, [value, 0.0_c_double]))
[t=c128]    call set_ierr(ierr, c_sl_tensor_set(t%ptr, index, [real(value, c_double), aimag(value)]))
  end subroutine tensor_set_{t}

!@ proc graph_param_zero
  function graph_param_zero(g, dtype, shape, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int), intent(in) :: dtype
    integer(c_int64_t), intent(in) :: shape(:)
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    character(kind=c_char), allocatable, target :: buf(:)
    type(c_ptr) :: cname
    cname = c_null_ptr
    if (present(name)) then
      call to_c_string(name, buf)
      cname = c_loc(buf)
    end if
    n%ptr = c_sl_graph_param(g%ptr, dtype, size(shape, kind=c_int), shape, c_null_ptr, cname)
  end function graph_param_zero

!@ family graph_param
  function graph_param_{t}_{R}(g, shape, x, name) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    {T}, intent(in), target :: x{DIMS}
    character(*), intent(in), optional :: name
    type(sl_node) :: n
    type(c_ptr) :: a, b
{@ends}
    n%ptr = leaf_any(g%ptr, 1, shape, a, {SIZE}, {DT}, name)
  end function graph_param_{t}_{R}

!@ family graph_constant
  function graph_constant_{t}_{R}(g, shape, x) result(n)
    type(sl_graph), intent(in) :: g
    integer(c_int64_t), intent(in) :: shape(:)
    {T}, intent(in), target :: x{DIMS}
    type(sl_node) :: n
    type(c_ptr) :: a, b
{@ends}
    n%ptr = leaf_any(g%ptr, 2, shape, a, {SIZE}, {DT})
  end function graph_constant_{t}_{R}

!@ family node_data
  subroutine node_data_{t}(n, x, ierr)
    type(sl_node), intent(in) :: n
    {T}, pointer, intent(out) :: x(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    nullify(x)
    call set_ierr(ierr, SL_OK)
    src = c_sl_node_data(n%ptr)
    if (.not. c_associated(src)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    if (c_sl_node_dtype(n%ptr) /= {DT}) then
      call set_ierr(ierr, SL_ERR_DTYPE)
      return
    end if
    call c_f_pointer(src, x, [c_sl_node_numel(n%ptr)])
  end subroutine node_data_{t}

!@ proc sl_graph_permute
  function sl_graph_permute(g, x, perm) result(n)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: x
    integer(c_int), intent(in) :: perm(:)
    type(sl_node) :: n
    integer(c_int) :: p(SL_MAX_RANK)
    p = -1
    if (size(perm) == c_sl_node_rank(x%ptr) .and. size(perm) <= SL_MAX_RANK) &
        p(1:size(perm)) = perm
    n%ptr = c_sl_graph_permute(g%ptr, x%ptr, p)
  end function sl_graph_permute

!@ proc sl_graph_grad
  subroutine sl_graph_grad(g, y, xs, grads, ierr)
    type(sl_graph), intent(in) :: g
    type(sl_node), intent(in) :: y
    type(sl_node), intent(in) :: xs(:)
    type(sl_node), intent(out) :: grads(:)
    integer, intent(out), optional :: ierr
    type(c_ptr) :: out(max(size(xs), 1))
    integer :: i
    if (size(grads) /= size(xs)) then
      call set_ierr(ierr, SL_ERR_ARG)
      return
    end if
    out = c_null_ptr
    call set_ierr(ierr, c_sl_graph_grad(g%ptr, y%ptr, size(xs, kind=c_int), node_ptrs(xs), out))
    do i = 1, size(xs)
      grads(i)%ptr = out(i)
    end do
  end subroutine sl_graph_grad

!@ family plan_bind
  subroutine plan_bind_{t}_{R}(h, input, x, ierr)
    type(sl_plan), intent(in) :: h
    type(sl_node), intent(in) :: input
    {T}, intent(in), target :: x{DIMS}
    integer, intent(out), optional :: ierr
    type(c_ptr) :: a, b
{@ends}
    call plan_bind_any(h%ptr, input%ptr, a, b, {SIZE}, {DT}, {ES}_c_intptr_t, ierr)
  end subroutine plan_bind_{t}_{R}

!@ family plan_output
  subroutine plan_output_{t}_{R}(p, i, x, ierr)
    type(sl_plan), intent(in) :: p
    integer, intent(in) :: i
    {T}, intent(inout) :: x{DIMS}
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    {T}, pointer :: fp{DIMS}
    src = output_any(p%ptr, i, c_null_ptr, {SIZE}, {DT}, ierr)
    if (.not. c_associated(src)) return
[r=0]    call c_f_pointer(src, fp)
[r>0]    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_output_{t}_{R}

!@ family plan_value
  subroutine plan_value_{t}_{R}(p, node, x, ierr)
    type(sl_plan), intent(in) :: p
    type(sl_node), intent(in) :: node
    {T}, intent(inout) :: x{DIMS}
    integer, intent(out), optional :: ierr
    type(c_ptr) :: src
    {T}, pointer :: fp{DIMS}
    src = output_any(p%ptr, -1, node%ptr, {SIZE}, {DT}, ierr)
    if (.not. c_associated(src)) return
[r=0]    call c_f_pointer(src, fp)
[r>0]    call c_f_pointer(src, fp, shape(x))
    x = fp
  end subroutine plan_value_{t}_{R}
