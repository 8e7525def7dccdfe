# Tests of the internal file APIs (src/io/container.h, src/io/checkpoint.h):
# they call hidden functions, so they link the static library.  Included
# from the main Makefile; `make check` runs them with the other tests.
INTERNAL_TESTS := build/tests/test_container build/tests/test_checkpoint
$(INTERNAL_TESTS): build/tests/%: tests/%.c $(STLIB)
	@mkdir -p build/tests
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) -Isrc $< -o $@ $(LDFLAGS) $(STLIB) $(LIBS) $(LDSAN)
