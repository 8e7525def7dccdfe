# Fortran 2003 interface (include/symlearn.f90, module `symlearn`) and its
# example/test examples/fit.f90.  Included from the main Makefile.
#   make fortran        build build/fortran/fit (module files in build/fortran)
#   make fortran-check  run it (prefixed by $(TEST_WRAPPER) when set)
ifeq ($(origin FC),default)
FC      := gfortran
endif
FFLAGS  ?= -O2 -g
FWARN   := -Wall -std=f2008
ifeq ($(WERROR),1)
FWARN   += -Werror
endif
ifeq ($(SANITIZE),1)
FFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
endif
FORTRAN_FLAGS := $(FWARN) $(FFLAGS) -J build/fortran -Ibuild/fortran

# Rebuild when the compiler or flags change (SANITIZE=1 and back).
FFLAGS_ID := $(FC) $(filter-out -Werror,$(FORTRAN_FLAGS)) $(LDFLAGS) $(LIBS) $(LDSAN)
build/fortran/.flags: FORCE
	@mkdir -p build/fortran
	@echo '$(FFLAGS_ID)' | cmp -s - $@ || echo '$(FFLAGS_ID)' > $@

# symlearn.mod is written beside symlearn.o (gfortran leaves an unchanged .mod
# untouched, so the .o stands for both).
build/fortran/symlearn.o: include/symlearn.f90 build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o build/fortran/symlearn.o

build/fortran/fit.o: examples/fit.f90 build/fortran/symlearn.o build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@

build/fortran/fit: build/fortran/fit.o build/fortran/symlearn.o $(SHLIB) lib/libsymlearn.so
	$(FC) $(FFLAGS) $(LDFLAGS) -o $@ build/fortran/fit.o build/fortran/symlearn.o \
	    -Llib -Wl,-rpath,$(CURDIR)/lib -lsymlearn $(LIBS) $(LDSAN)

.PHONY: fortran fortran-check
fortran: build/fortran/fit

fortran-check: build/fortran/fit
	$(TEST_WRAPPER) build/fortran/fit

CHECK_DEPS += fortran-check
TEST_BINS  += build/fortran/fit

# Symmetry discovery from Fortran (examples/symmetries.f90), the same pattern.
build/fortran/symmetries.o: examples/symmetries.f90 build/fortran/symlearn.o build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@

build/fortran/symmetries: build/fortran/symmetries.o build/fortran/symlearn.o $(SHLIB) lib/libsymlearn.so
	$(FC) $(FFLAGS) $(LDFLAGS) -o $@ build/fortran/symmetries.o build/fortran/symlearn.o \
	    -Llib -Wl,-rpath,$(CURDIR)/lib -lsymlearn $(LIBS) $(LDSAN)

.PHONY: fortran-symmetries-check
fortran: build/fortran/symmetries

fortran-symmetries-check: build/fortran/symmetries
	$(TEST_WRAPPER) build/fortran/symmetries

CHECK_DEPS += fortran-symmetries-check
TEST_BINS  += build/fortran/symmetries

# Lattice gauge fields and L-CNN predictions from a Fortran array (examples/lcnn.f90).
build/fortran/lcnn.o: examples/lcnn.f90 build/fortran/symlearn.o build/fortran/.flags
	$(FC) $(FORTRAN_FLAGS) -c $< -o $@

build/fortran/lcnn: build/fortran/lcnn.o build/fortran/symlearn.o $(SHLIB) lib/libsymlearn.so
	$(FC) $(FFLAGS) $(LDFLAGS) -o $@ build/fortran/lcnn.o build/fortran/symlearn.o \
	    -Llib -Wl,-rpath,$(CURDIR)/lib -lsymlearn $(LIBS) $(LDSAN)

.PHONY: fortran-lcnn-check
fortran: build/fortran/lcnn

fortran-lcnn-check: build/fortran/lcnn
	$(TEST_WRAPPER) build/fortran/lcnn

CHECK_DEPS += fortran-lcnn-check
TEST_BINS  += build/fortran/lcnn
