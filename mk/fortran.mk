# The Fortran 2008 interface: include/symlearn.f90 (module symlearn, generated
# by fortran/gen.py from the headers and fortran/*, committed and installed),
# its tests tests/test_fortran_*.f90 (run by `make check`, under TEST_WRAPPER
# like the C tests) and its examples examples/*.f90 (run by `make examples`).
#   make fortran            build the module, the Fortran tests and examples
#   make fortran-check      run the Fortran tests only
#   make fortran-examples   build and run the Fortran examples
#   make fortran-gen        regenerate include/symlearn.f90 (python3)
#   make fortran-gen-check  fail when include/symlearn.f90 is not what
#                           fortran/gen.py makes, or lost part of the 1.0
#                           interface (fortran/api-1.0.txt, fortran/apidiff.py)
# FC comes from the main Makefile (FC=... on the command line or in the
# environment; gfortran otherwise).
FFLAGS  ?= -O2 -g
FWARN   := -Wall -std=f2008
ifeq ($(WERROR),1)
FWARN   += -Werror
endif
ifeq ($(SANITIZE),1)
FFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
endif
FORTRAN_FLAGS := $(FWARN) $(FFLAGS) -J build/fortran -Ibuild/fortran
FORTRAN_LINK   = $(FC) $(FFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) -Llib -Wl,-rpath,$(CURDIR)/lib \
                 -lsymlearn $(LIBS) $(LDSAN)
FORTRAN_LIB   := build/fortran/symlearn.o $(SHLIB) lib/libsymlearn.so

# Rebuild when the compiler or flags change (SANITIZE=1 and back).
FFLAGS_ID := $(FC) $(filter-out -Werror,$(FORTRAN_FLAGS)) $(LDFLAGS) $(LIBS) $(LDSAN)
build/fortran/.flags: FORCE
	@mkdir -p build/fortran
	@echo '$(FFLAGS_ID)' | cmp -s - $@ || echo '$(FFLAGS_ID)' > $@

# The module files (symlearn.mod and one per area) are written beside
# symlearn.o (gfortran leaves an unchanged .mod untouched, so the .o stands
# for them).
build/fortran/symlearn.o: include/symlearn.f90 build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@

# ---- Tests: tests/test_fortran_*.f90 with the check helper tests/check.f90 ----
# and the C layout table tests/fortran_layout.c.
FTESTS := $(patsubst tests/%.f90,build/tests/%,$(wildcard tests/test_fortran_*.f90))
build/fortran/checks.o: tests/check.f90 build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@
build/fortran/fortran_layout.o: tests/fortran_layout.c build/.flags
	@mkdir -p build/fortran
	$(CC) $(TEST_CFLAGS) $(DEPFLAGS) -c $< -o $@
build/fortran/test_fortran_%.o: tests/test_fortran_%.f90 build/fortran/symlearn.o \
                                build/fortran/checks.o build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@
$(FTESTS): build/tests/%: build/fortran/%.o build/fortran/checks.o build/fortran/fortran_layout.o \
                          $(FORTRAN_LIB)
	@mkdir -p build/tests
	$(FORTRAN_LINK)

TESTS += $(FTESTS)
check: $(FTESTS)

.PHONY: fortran fortran-check fortran-examples fortran-gen fortran-gen-check
fortran-check: $(FTESTS)
	@OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} TEST_WRAPPER='$(TEST_WRAPPER)' \
	    TEST_JOBS='$(TEST_JOBS)' sh tests/run.sh $(FTESTS)

# ---- Examples: examples/*.f90, each a program that checks itself ------------------
FEXAMPLES := $(patsubst examples/%.f90,build/fortran/%,$(wildcard examples/*.f90))
build/fortran/ex_%.o: examples/%.f90 build/fortran/symlearn.o build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@
$(FEXAMPLES): build/fortran/%: build/fortran/ex_%.o $(FORTRAN_LIB)
	$(FORTRAN_LINK)

fortran: $(FTESTS) $(FEXAMPLES)
fortran-examples: $(FEXAMPLES)
	@set -e; for x in $(FEXAMPLES); do echo "== $$x"; $(TEST_WRAPPER) $$x; done
examples: fortran-examples

# ---- The generated module -------------------------------------------------------------
PYTHON ?= python3
fortran-gen:
	$(PYTHON) fortran/gen.py -o include/symlearn.f90
	@$(PYTHON) fortran/apidiff.py fortran/api-1.0.txt include/symlearn.f90 | tail -n 1

fortran-gen-check:
	@mkdir -p build/fortran-gen
	@$(PYTHON) fortran/gen.py -o build/fortran-gen/symlearn.f90 --check include/symlearn.f90
	@$(PYTHON) fortran/apidiff.py fortran/api-1.0.txt include/symlearn.f90 \
	    > build/fortran-gen/apidiff.txt || { cat build/fortran-gen/apidiff.txt; exit 1; }
	@tail -n 1 build/fortran-gen/apidiff.txt
	@echo "fortran-gen-check: include/symlearn.f90 is up to date"
