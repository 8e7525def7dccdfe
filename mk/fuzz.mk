# Fuzzing the file readers (tests/fuzz/, one libFuzzer target per reader).
#   make fuzz FUZZ_SECONDS=N   build with clang (-fsanitize=fuzzer,address,undefined),
#                              write the seed corpus with the library's own writers,
#                              replay it (plus tests/fixtures) through every target,
#                              then fuzz each target for N seconds (default 10)
#   make fuzz-build            only build build/fuzz/fuzz_*
# The fuzz build skips checksum comparisons (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION,
# src/io/io_internal.h) so that mutations reach the parsers.
# New inputs go to build/fuzz/work/<target>/ (kept between runs); a crash
# leaves build/fuzz/crash-<target>-* and fails the target.  FUZZ_ARGS adds
# libFuzzer options.  Every run limits a single allocation to 256 MiB
# (-malloc_limit_mb): no reader may allocate far more than its input.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 10
FUZZ_ARGS    ?=
FUZZ_TARGETS := model result nersc checkpoint features conserved hnn flux cy
# clang 14 with glibc has no CMPLX (issue 9); __builtin_complex is the same.
FUZZ_CFLAGS  := $(STD) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
                '-DCMPLX(x,y)=__builtin_complex((double)(x),(double)(y))' -Wall -Wno-unused-parameter -Wno-unknown-attributes
FUZZ_OBJ     := $(SRC:src/%.c=build/fuzz/obj/%.o)
FUZZ_LIB     := build/fuzz/libsymlearn-fuzz.a
FUZZ_BINS    := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
FUZZ_CORPUS  := build/fuzz/corpus

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fPIC -fvisibility=hidden -DSL_BUILDING_LIBRARY=1 -Iinclude $(DEPFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $(FUZZ_OBJ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Iinclude -Isrc $< -o $@ $(FUZZ_LIB) $(LIBS)

# The corpus generator is an ordinary program on the ordinary static library.
build/fuzz/make_corpus: tests/fuzz/make_corpus.c tests/fuzz/fuzz_common.h $(STLIB)
	@mkdir -p build/fuzz
	$(CC) $(TEST_CFLAGS) -Isrc $< -o $@ $(LDFLAGS) $(STLIB) $(LIBS) $(LDSAN)

.PHONY: fuzz fuzz-build fuzz-corpus
fuzz-build: $(FUZZ_BINS)

fuzz-corpus: build/fuzz/make_corpus
	@rm -rf $(FUZZ_CORPUS)
	@OPENBLAS_NUM_THREADS=1 build/fuzz/make_corpus $(FUZZ_CORPUS)
	@cp tests/fixtures/*.slm $(FUZZ_CORPUS)/model/
	@cp tests/fixtures/*.slr $(FUZZ_CORPUS)/result/
	@mkdir -p $(FUZZ_CORPUS)/features
	@printf 'x^2 py\n1/sqrt(x^2 + y^2)  # 1/r\nx/sqrt(x^2 + y^2); y/sqrt(x**2 + y**2)\n' > $(FUZZ_CORPUS)/features/kepler.txt
	@printf 'sin(x - y) px\nexp(x - y) * py\nlog(x^2 + 1) - cos(y)\n2 x y^3 / (1 + x^2)\n-(x - y)^-3\n' > $(FUZZ_CORPUS)/features/funcs.txt
	@printf 'x y\n  w^2\ntan(x)\nx^1.5\nsqrt(x + y\nx +\nx)\n' > $(FUZZ_CORPUS)/features/errors.txt
	@for t in $(FUZZ_TARGETS); do echo "fuzz-corpus: $$t: $$(ls $(FUZZ_CORPUS)/$$t | wc -l) seed files"; done

# Each target: the seeds once (-runs=0 executes the initial corpus), then
# FUZZ_SECONDS of fuzzing from seeds + the kept work corpus.
fuzz: fuzz-build fuzz-corpus
	@pass=0; fail=0; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/work/$$t; \
	  log=build/fuzz/$$t.log; dict=tests/fuzz/container.dict; [ $$t = nersc ] && dict=tests/fuzz/nersc.dict; [ $$t = features ] && dict=tests/fuzz/features.dict; \
	  if OPENBLAS_NUM_THREADS=1 build/fuzz/fuzz_$$t -runs=0 -malloc_limit_mb=256 $(FUZZ_CORPUS)/$$t > $$log 2>&1 && \
	     OPENBLAS_NUM_THREADS=1 build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -malloc_limit_mb=256 -rss_limit_mb=1024 \
	         -timeout=10 -artifact_prefix=build/fuzz/crash-$$t- -print_final_stats=1 -dict=$$dict $(FUZZ_ARGS) \
	         build/fuzz/work/$$t $(FUZZ_CORPUS)/$$t >> $$log 2>&1; then \
	    pass=$$((pass + 1)); \
	    echo "fuzz $$t: ok, $$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -n 1) executions in $(FUZZ_SECONDS) s, corpus $$(ls build/fuzz/work/$$t | wc -l) files"; \
	  else \
	    fail=$$((fail + 1)); echo "fuzz $$t: FAILED (build/fuzz/$$t.log)"; tail -n 30 $$log; \
	  fi; \
	done; \
	echo "$$pass passed, $$fail failed"; [ $$fail -eq 0 ]
