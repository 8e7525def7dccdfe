# `make bench`: build the C benchmarks of bench/ and run them next to their
# PyTorch peers (bench/run.sh).  THREADS=N (default 1), PEERS=dir, WORKLOADS="...".
BENCH_NAMES := dense hnn siamese lcnn symgen e6 conserved lax worm cy
BENCH_NAMES += cnn
BENCH_BINS  := $(BENCH_NAMES:%=build/bench/bench_%)

build/bench/bench_%: bench/bench_%.c $(SHLIB) lib/$(SONAME) lib/libsymlearn.so
	@mkdir -p build/bench
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) -O2 $< -o $@ $(TEST_LDFLAGS)

.PHONY: bench bench-build
bench-build: all $(BENCH_BINS)

bench: bench-build
	@BENCH_DIR=build/bench $(if $(THREADS),THREADS=$(THREADS)) $(if $(PEERS),PEERS=$(PEERS)) sh bench/run.sh
