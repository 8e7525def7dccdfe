# libsymlearn — plain GNU make.  `make`, `make check`, `make demo`, `make bench`,
# `make install PREFIX=... DESTDIR=...`, `make test-install`, `make abi-check`.
# `make help` lists every target and option.
ABI_MAJOR  := 1
VERSION    := $(shell sed -n 's/^\#define SL_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)/\2/p' include/symlearn/core.h | paste -sd.)
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=

CC      ?= cc
# FC ?= gfortran, except that GNU make's built-in FC (f77) does not count.
ifneq ($(filter default undefined,$(origin FC)),)
FC      := gfortran
endif
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
STD     := -std=c11 -D_GNU_SOURCE
LIBS    := -llapack -lblas -lz -lm
# Option flags live outside CFLAGS so `make CFLAGS=... SANITIZE=1` keeps them.
XFLAGS  :=
ifeq ($(OPENMP),1)
XFLAGS  += -fopenmp
LIBS    += -fopenmp
endif
ifeq ($(SANITIZE),1)
XFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN   := -fsanitize=address,undefined
endif

SRC     := $(sort $(wildcard src/*/*.c))
OBJ     := $(SRC:src/%.c=build/obj/%.o)
# Header dependencies come from the compiler (-MMD -MP: each object or test
# binary gets a .d file beside it, included at the end of this file).
DEPFLAGS := -MMD -MP
SHLIB   := lib/libsymlearn.so.$(VERSION)
SONAME  := libsymlearn.so.$(ABI_MAJOR)
STLIB   := lib/libsymlearn.a

LIB_CFLAGS := $(STD) $(WARN) $(CPPFLAGS) $(CFLAGS) $(XFLAGS) -fPIC -fvisibility=hidden \
              -DSL_BUILDING_LIBRARY=1 -Iinclude
TEST_CFLAGS := $(STD) $(WARN) $(CPPFLAGS) $(CFLAGS) $(XFLAGS) -Iinclude -Itests
TEST_LDFLAGS := $(LDFLAGS) -Llib -Wl,-rpath,$(CURDIR)/lib -lsymlearn $(LIBS) $(LDSAN)

# `make check` runs build/tests/test_* through tests/run.sh (the C tests, and
# the Fortran tests that mk/fortran.mk appends to TESTS), then every make
# target listed in CHECK_DEPS or CHECK_EXTRA (mk/*.mk fragments may append to
# them).  Each program or target prints its own `N passed, N failed` line;
# run.sh sums everything into the last line.
# TEST_WRAPPER runs each test binary under a tool, e.g.
#   make check TEST_WRAPPER="$(VALGRIND)"
# TEST_JOBS=N runs N test binaries at once; TESTS_SKIP="test_x ..." leaves
# some out (CI uses it for the slowest ones under valgrind).
CHECK_DEPS  ?=
CHECK_EXTRA ?=
TEST_WRAPPER ?=
TEST_JOBS   ?= 1
TESTS_SKIP  ?=
VALGRIND := valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite -q

.PHONY: all clean check demo examples install uninstall test-install abi-check abi-baseline \
        headers-check deps deps-fortran deps-tools valgrind help FORCE
all: $(SHLIB) lib/libsymlearn.so lib/$(SONAME) $(STLIB)

# ---- Build dependencies ---------------------------------------------------------
# `make` first checks that the compiler, zlib, BLAS and LAPACK are there.  As
# root on Debian/Ubuntu it installs what is missing with apt-get; otherwise it
# stops and names the command to run.  NODEPS=1 skips the check.
APT_PKGS := build-essential gfortran libopenblas-dev liblapack-dev zlib1g-dev pkg-config

# $(call sl_need,<missing-var shell expr>): install or stop.  $$missing holds packages.
define sl_need
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "libsymlearn: installing build dependencies:$$missing"; \
    export DEBIAN_FRONTEND=noninteractive; \
    apt-get update -qq || true; apt-get install -y -qq $$missing || exit 1; \
  else \
    echo "libsymlearn: missing build dependencies:$$missing" >&2; \
    if command -v apt-get >/dev/null 2>&1; then \
      echo "Install them with:  sudo apt-get install -y$$missing" >&2; \
    else \
      echo "Install a C11 compiler, BLAS, LAPACK and zlib (with headers), gfortran and pkg-config," \
           "or run make NODEPS=1 to skip this check." >&2; \
    fi; \
    exit 1; \
  fi; \
fi
endef

DEPS_STAMP := build/.deps-c
ifeq ($(NODEPS),1)
DEPS_ORDER :=
else
DEPS_ORDER := $(DEPS_STAMP)
endif
deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@mkdir -p build/deps; missing=""; \
	if ! command -v $(firstword $(CC)) >/dev/null 2>&1; then missing=" build-essential"; else \
	  printf '#include <zlib.h>\nint main(void){return zlibVersion()==0;}\n' > build/deps/z.c; \
	  $(CC) build/deps/z.c -o build/deps/z -lz >/dev/null 2>&1 || missing="$$missing zlib1g-dev"; \
	  printf 'void dgemm_(void);\nint main(void){dgemm_();return 0;}\n' > build/deps/b.c; \
	  $(CC) build/deps/b.c -o build/deps/b -lblas >/dev/null 2>&1 || missing="$$missing libopenblas-dev"; \
	  printf 'void dsyev_(void);\nint main(void){dsyev_();return 0;}\n' > build/deps/l.c; \
	  $(CC) build/deps/l.c -o build/deps/l -llapack -lblas >/dev/null 2>&1 || missing="$$missing liblapack-dev"; \
	fi; \
	$(sl_need)
	@# -lblas may be the reference BLAS (liblapack-dev pulls it in): GEMM-bound
	@# work is then 10-15x slower.  Install OpenBLAS as root, else warn.
	@printf 'char *openblas_get_config(void);\nint main(void){return openblas_get_config()==0;}\n' > build/deps/o.c; \
	if ! $(CC) build/deps/o.c -o build/deps/o -lblas >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "libsymlearn: -lblas is not OpenBLAS: installing libopenblas-dev"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq || true; apt-get install -y -qq libopenblas-dev || exit 1; \
	  else \
	    echo "libsymlearn: warning: -lblas is not OpenBLAS (probably the reference BLAS, 10-15x slower" \
	         "for GEMM-bound work); install it with:  sudo apt-get install -y libopenblas-dev" >&2; \
	  fi; \
	fi
	@touch $@

deps-fortran:
	@missing=""; command -v $(FC) >/dev/null 2>&1 || missing=" gfortran"; $(sl_need)
deps-tools:
	@missing=""; command -v pkg-config >/dev/null 2>&1 || missing=" pkg-config"; $(sl_need)

# ---- Library ---------------------------------------------------------------------
# build/.flags changes when the compile flags do, so switching SANITIZE or
# OPENMP rebuilds everything instead of mixing objects (WERROR does not change
# the code, so it does not count: CI cleans first).
FLAGS_ID := $(CC) $(filter-out -Werror,$(LIB_CFLAGS)) $(LDFLAGS) $(LIBS) $(LDSAN)
build/.flags: FORCE
	@mkdir -p build
	@echo '$(FLAGS_ID)' | cmp -s - $@ || echo '$(FLAGS_ID)' > $@

build/obj/%.o: src/%.c build/.flags | $(DEPS_ORDER)
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(SHLIB): $(OBJ) src/symlearn.map tools/blas_info.c
	@mkdir -p lib build
	$(CC) -shared -o $@ $(OBJ) -Wl,-soname,$(SONAME) -Wl,--version-script=src/symlearn.map \
	    -Wl,-z,defs $(LDFLAGS) $(LIBS) $(LDSAN)
	@ln -sf $(notdir $@) lib/$(SONAME); ln -sf $(SONAME) lib/libsymlearn.so
	@# which BLAS the library runs on, and its core type (tools/blas_info.c)
	@$(CC) $(TEST_CFLAGS) tools/blas_info.c -o build/blas_info $(TEST_LDFLAGS) && build/blas_info || true

lib/$(SONAME): $(SHLIB)
	ln -sf $(notdir $(SHLIB)) $@
lib/libsymlearn.so: lib/$(SONAME)
	ln -sf $(SONAME) $@

$(STLIB): $(OBJ)
	@mkdir -p lib
	rm -f $@
	ar rcs $@ $(OBJ)

# ---- Tests -------------------------------------------------------------------------
TESTS := $(patsubst tests/%.c,build/tests/%,$(wildcard tests/test_*.c))
build/tests/%: tests/%.c $(SHLIB) lib/$(SONAME) lib/libsymlearn.so
	@mkdir -p build/tests
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) $< -o $@ $(TEST_LDFLAGS)

ifneq ($(wildcard mk/fortran.mk),)
CHECK_ORDER := deps-fortran
endif
TESTS_RUN = $(filter-out $(addprefix build/tests/,$(TESTS_SKIP)),$(TESTS))
check: $(TESTS) | $(CHECK_ORDER)
	@OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} TEST_WRAPPER='$(TEST_WRAPPER)' \
	    TEST_JOBS='$(TEST_JOBS)' MAKE='$(MAKE) --no-print-directory' \
	    sh tests/run.sh $(TESTS_RUN) $(addprefix make:,$(CHECK_DEPS) $(CHECK_EXTRA))

# `make valgrind`: the C tests under valgrind (definite leaks and memory errors fail).
valgrind:
	@$(MAKE) --no-print-directory check TEST_WRAPPER='$(VALGRIND)'

# ---- Examples ------------------------------------------------------------------------
EXAMPLES := $(patsubst examples/%.c,build/examples/%,$(wildcard examples/*.c))
build/examples/%: examples/%.c $(SHLIB) lib/$(SONAME) lib/libsymlearn.so
	@mkdir -p build/examples
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) $< -o $@ $(TEST_LDFLAGS)

# The examples that check what they found (exit status non-zero when the
# physics is not recovered) are run too.
EXAMPLES_RUN := $(filter $(addprefix build/examples/,kepler toda invariants_minkowski em_fields),$(EXAMPLES))
EXAMPLES_RUN += $(filter build/examples/cy_quintic,$(EXAMPLES))
EXAMPLES_RUN += $(filter build/examples/scalar_regression,$(EXAMPLES))
examples: $(EXAMPLES)
	@set -e; for x in $(EXAMPLES_RUN); do echo "== $$x"; $(TEST_WRAPPER) $$x > $$x.out 2>&1 || \
	    { cat $$x.out; echo "example $$x failed" >&2; exit 1; }; tail -n 3 $$x.out; done

# The flagship example.
ifneq ($(wildcard examples/demo.c),)
demo: build/examples/demo
	./build/examples/demo
else
demo: build/examples/hello
	@echo "demo: examples/demo.c is not written yet; running examples/hello.c"
	./build/examples/hello
endif

# `make bench` is defined by mk/bench.mk (benchmarks in bench/, see
# ../shared/bench/WORKLOADS.md).

# ---- Install -------------------------------------------------------------------------
# symlearn.pc keeps paths relative to ${prefix} where it can (relocatable with
# `pkg-config --define-prefix`); test-install uses PKG_CONFIG_SYSROOT_DIR instead,
# because pkgconf's --define-prefix also rewrites zlib.pc's prefix.
pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(patsubst $(PREFIX),$${prefix},$(1)))
LIBS_PRIVATE := $(filter-out -lz,$(LIBS))
pkgconfig/symlearn.pc: pkgconfig/symlearn.pc.in FORCE
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call pc_rel,$(LIBDIR))|g' \
	    -e 's|@INCLUDEDIR@|$(call pc_rel,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; echo "generated $@"; fi

INSTALL ?= install
install: all pkgconfig/symlearn.pc
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/symlearn $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 644 include/symlearn.h $(DESTDIR)$(INCLUDEDIR)/symlearn.h
	$(INSTALL) -m 644 $(wildcard include/symlearn/*.h) $(DESTDIR)$(INCLUDEDIR)/symlearn/
	@# The Fortran module is installed as source: .mod files are compiler specific.
	$(if $(wildcard include/symlearn.f90),$(INSTALL) -m 644 include/symlearn.f90 $(DESTDIR)$(INCLUDEDIR)/symlearn.f90)
	$(INSTALL) -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB))
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsymlearn.so
	$(INSTALL) -m 644 $(STLIB) $(DESTDIR)$(LIBDIR)/libsymlearn.a
	$(INSTALL) -m 644 pkgconfig/symlearn.pc $(DESTDIR)$(PKGCONFIGDIR)/symlearn.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/symlearn.h $(DESTDIR)$(INCLUDEDIR)/symlearn.f90
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/symlearn/,$(notdir $(wildcard include/symlearn/*.h)))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/symlearn 2>/dev/null
	rm -f $(DESTDIR)$(LIBDIR)/libsymlearn.so $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/libsymlearn.a
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/symlearn.pc

# Install into a scratch root, then build examples/hello.c with nothing but
# pkg-config (shared, and static through Libs.private) and run it; compile
# the installed Fortran module source alone and run examples/fit.f90 with it.
TI_ROOT   := $(CURDIR)/build/test-install/root
TI_PREFIX := /opt/symlearn
test-install: all | deps-tools
	@rm -rf build/test-install
	@$(MAKE) --no-print-directory install DESTDIR=$(TI_ROOT) PREFIX=$(TI_PREFIX) \
	    LIBDIR=$(TI_PREFIX)/lib INCLUDEDIR=$(TI_PREFIX)/include PKGCONFIGDIR=$(TI_PREFIX)/lib/pkgconfig >/dev/null
	@$(MAKE) --no-print-directory pkgconfig/symlearn.pc >/dev/null
	@set -e; cd build/test-install; \
	export PKG_CONFIG_PATH=$(TI_ROOT)$(TI_PREFIX)/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$(TI_ROOT); \
	echo "pkg-config --cflags --libs symlearn: $$(pkg-config --cflags --libs symlearn)"; \
	pkg-config --exists --print-errors 'symlearn = $(VERSION)'; \
	$(CC) $(CFLAGS) $(XFLAGS) -o hello ../../examples/hello.c $$(pkg-config --cflags --libs symlearn) $(LDSAN); \
	LD_LIBRARY_PATH=$(TI_ROOT)$(TI_PREFIX)/lib ./hello; \
	if LD_LIBRARY_PATH=$(TI_ROOT)$(TI_PREFIX)/lib ldd ./hello | grep -q 'libsymlearn.so.$(ABI_MAJOR) => $(TI_ROOT)'; then :; \
	else echo "test-install: hello did not load the installed libsymlearn" >&2; ldd ./hello >&2; exit 1; fi; \
	$(CC) $(CFLAGS) $(XFLAGS) -o hello-static ../../examples/hello.c \
	    $$(pkg-config --cflags symlearn) \
	    $$(pkg-config --static --libs symlearn | sed 's/-lsymlearn\b/-l:libsymlearn.a/') $(LDSAN); \
	./hello-static >/dev/null; \
	if ldd ./hello-static | grep -q libsymlearn; then echo "test-install: static link used the .so" >&2; exit 1; fi; \
	if command -v $(firstword $(FC)) >/dev/null 2>&1; then \
	  $(FC) $(FFLAGS) -c $(TI_ROOT)$(TI_PREFIX)/include/symlearn.f90 -o symlearn.o; \
	  $(FC) $(FFLAGS) -o fit ../../examples/fit.f90 symlearn.o $$(pkg-config --libs symlearn) $(LDSAN); \
	  LD_LIBRARY_PATH=$(TI_ROOT)$(TI_PREFIX)/lib ./fit >/dev/null; \
	  echo "test-install: the installed symlearn.f90 compiled alone, examples/fit.f90 ran"; \
	else echo "test-install: no $(FC): the Fortran module was not tried"; fi
	@$(MAKE) --no-print-directory uninstall DESTDIR=$(TI_ROOT) PREFIX=$(TI_PREFIX) \
	    LIBDIR=$(TI_PREFIX)/lib INCLUDEDIR=$(TI_PREFIX)/include PKGCONFIGDIR=$(TI_PREFIX)/lib/pkgconfig >/dev/null
	@left=$$(find $(TI_ROOT) -type f -o -type l); \
	if [ -n "$$left" ]; then echo "test-install: uninstall left: $$left" >&2; exit 1; fi
	@echo "test-install: OK (installed, built with pkg-config, ran, uninstalled)"

# ---- ABI -------------------------------------------------------------------------------
# The baseline abi/libsymlearn.abi is committed.  abi-check fails on an
# incompatible change (abidiff bit 8) or an abidiff error (bits 1, 2); additions
# are compatible and only printed.  abidiff calls a changed member type of a
# public struct (sl_ctx_opts, sl_optim_opts) a mere "change" (bit 4):
# ABI_STRICT=1 also fails on any removed or changed function or variable.  After an intended addition, `make
# abi-baseline` and commit (new symbols go in a new node of src/symlearn.map).
ABIDW := abidw --headers-dir include/symlearn --no-corpus-path
abi-baseline: all
	@mkdir -p abi
	$(ABIDW) --out-file abi/libsymlearn.abi $(SHLIB)
	@echo "wrote abi/libsymlearn.abi"

abi-check: all
	@test -f abi/libsymlearn.abi || { echo "abi-check: no baseline abi/libsymlearn.abi (make abi-baseline)" >&2; exit 1; }
	@mkdir -p build/abi
	$(ABIDW) --out-file build/abi/current.abi $(SHLIB)
	@rc=0; abidiff abi/libsymlearn.abi build/abi/current.abi > build/abi/diff.txt 2>&1 || rc=$$?; \
	cat build/abi/diff.txt; \
	if [ $$((rc & 3)) -ne 0 ]; then echo "abi-check: abidiff failed (exit $$rc)" >&2; exit 1; fi; \
	if [ $$((rc & 8)) -ne 0 ]; then echo "abi-check: INCOMPATIBLE ABI change against abi/libsymlearn.abi" >&2; exit 1; fi; \
	if [ $$((rc & 4)) -ne 0 ] && [ "$(ABI_STRICT)" = 1 ] && \
	   grep -Eq 'summary: ([1-9][0-9]* Removed|[0-9]+ Removed, [1-9][0-9]* Changed)' build/abi/diff.txt; then \
	    echo "abi-check: functions or variables removed or changed (ABI_STRICT=1)" >&2; exit 1; fi; \
	if [ $$((rc & 4)) -ne 0 ]; then echo "abi-check: ABI changes abidiff does not call incompatible (additions, sub-type changes: review above) — OK"; \
	else echo "abi-check: ABI identical to the baseline — OK"; fi
	@bad=$$(nm -D --defined-only $(SHLIB) | awk '{print $$NF}' | grep -v '^sl_' | grep -v '^SYMLEARN_' || true); \
	if [ -n "$$bad" ]; then echo "abi-check: exported symbols without the sl_ prefix:" >&2; echo "$$bad" >&2; exit 1; fi

# ---- Public headers --------------------------------------------------------------------
# Each public header must compile on its own as C99, C11 and C++11 (extern "C",
# no _Complex in signatures).
CXX ?= c++
PUBLIC_HDR := include/symlearn.h $(sort $(wildcard include/symlearn/*.h))
headers-check:
	@set -e; for h in $(PUBLIC_HDR); do \
	  for std in c99 c11; do \
	    printf '#include "%s"\n#include "%s"\n' $$PWD/$$h $$PWD/$$h | \
	      $(CC) -std=$$std -pedantic $(WARN) -fsyntax-only -x c -; \
	  done; \
	  if command -v $(firstword $(CXX)) >/dev/null 2>&1; then \
	    printf '#include "%s"\n' $$PWD/$$h | $(CXX) -std=c++11 -pedantic $(WARN) -fsyntax-only -x c++ -; \
	  fi; \
	done
	@echo "headers-check: $(words $(PUBLIC_HDR)) public headers compile as C99, C11 and C++11"

# ---- Misc -----------------------------------------------------------------------------
clean:
	rm -rf build lib/*.so lib/*.so.* lib/*.a pkgconfig/symlearn.pc pkgconfig/symlearn.pc.tmp

help:
	@echo "targets: all (default) check demo examples bench install uninstall test-install"
	@echo "         abi-check abi-baseline headers-check valgrind deps clean"
	@echo "options: SANITIZE=1 (ASan+UBSan) OPENMP=1 WERROR=1 NODEPS=1"
	@echo "         PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR) DESTDIR="
	@echo "         TEST_WRAPPER='valgrind ...' TEST_JOBS=N TESTS_SKIP='test_x ...'"
	@echo "         CC CFLAGS CPPFLAGS LDFLAGS FC FFLAGS"
	@echo "fortran: fortran fortran-check fortran-examples fortran-gen fortran-gen-check"

FORCE:

# Fragments of other parts of the build (Fortran module and tests, benchmarks).
-include mk/*.mk
-include $(wildcard build/*/*.d build/*/*/*.d build/*/*/*/*.d)
