!@ proc sl_mlp_get_weights
  subroutine sl_mlp_get_weights(net, out, ierr)
    type(sl_mlp), intent(in) :: net
    real(c_double), intent(out) :: out(:)
    integer, intent(out), optional :: ierr
    out = 0
    if (size(out, kind=c_int64_t) /= c_sl_mlp_nweights(net%ptr)) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_mlp_get_weights(net%ptr, out))
  end subroutine sl_mlp_get_weights

!@ proc sl_mlp_set_weights
  subroutine sl_mlp_set_weights(net, in, ierr)
    type(sl_mlp), intent(in) :: net
    real(c_double), intent(in) :: in(:)
    integer, intent(out), optional :: ierr
    if (size(in, kind=c_int64_t) /= c_sl_mlp_nweights(net%ptr)) then
      call set_ierr(ierr, SL_ERR_SHAPE)
      return
    end if
    call set_ierr(ierr, c_sl_mlp_set_weights(net%ptr, in))
  end subroutine sl_mlp_set_weights
