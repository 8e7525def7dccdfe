!@ proc sl_lax_builtin_vector_field
  function sl_lax_builtin_vector_field() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_lax_builtin_vector_field)
  end function sl_lax_builtin_vector_field

!@ proc sl_lax_connection_builtin_pde
  function sl_lax_connection_builtin_pde() result(f)
    type(c_funptr) :: f
    f = c_funloc(c_sl_lax_connection_builtin_pde)
  end function sl_lax_connection_builtin_pde
