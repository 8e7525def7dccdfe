!@ proc sl_lax_builtin_vector_field
  function sl_lax_builtin_vector_field() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_lax_builtin_vector_field)
  end function sl_lax_builtin_vector_field
