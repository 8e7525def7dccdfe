# tests/test_vspecial.c calls the hidden vector kernels (src/kernels/vspecial.h),
# so it links the static library, as mk/io.mk's tests do.
build/tests/test_vspecial: tests/test_vspecial.c $(STLIB)
	@mkdir -p build/tests
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) -Isrc $< -o $@ $(LDFLAGS) $(STLIB) $(LIBS) $(LDSAN)
