#!/bin/sh
# Run test programs and sum their results.  Usage:
#   tests/run.sh build/tests/test_core ... [make:TARGET ...]
# A plain argument is a test binary, run as `$TEST_WRAPPER binary` (e.g.
# TEST_WRAPPER="valgrind --error-exitcode=99 ..."); `make:TARGET` runs
# `$MAKE TARGET` (the Fortran tests and other mk/*.mk checks).  Each program
# prints its own `N passed, N failed`; the last such line of each is added up.
# A program that exits non-zero (or crashes) without reporting a failure
# counts as 1 failed; one that exits 0 without a count line as 1 passed.
# The last line printed is the total, `N passed, N failed`; the exit status is
# non-zero when anything failed.
#
# TEST_JOBS=N runs up to N binaries at once (their output is shown when each
# finishes, in order); make: targets always run one at a time, last.

# Internal: run.sh --one DIR IDX ARG runs one program into DIR/IDX.{log,rc,sec}.
if [ "${1:-}" = --one ]; then
    dir=$2; idx=$3; t=$4
    case $t in
        make:*) set -- ${MAKE:-make} "${t#make:}" ;;
        # shellcheck disable=SC2086  # TEST_WRAPPER is a command line
        *)      set -- ${TEST_WRAPPER:-} "$t" ;;
    esac
    start=$(date +%s%3N)
    if [ "${RUN_STREAM:-0}" = 1 ]; then
        { "$@" 2>&1; echo $? > "$dir/$idx.rc"; } | tee "$dir/$idx.log"
    else
        "$@" > "$dir/$idx.log" 2>&1; echo $? > "$dir/$idx.rc"
    fi
    ms=$(( $(date +%s%3N) - start ))
    printf '%d.%02d\n' $((ms / 1000)) $((ms % 1000 / 10)) > "$dir/$idx.sec"
    exit 0
fi

# OpenBLAS 0.3.21 falls back to its Prescott (SSE3) kernels on CPUs newer than
# itself, where GEMM-bound tests then run 2-5x slower; use the kernels
# build/blas_info suggests for this CPU (tools/blas_info.c), unless
# OPENBLAS_CORETYPE is set or the tests run under a wrapper (valgrind does
# not run AVX-512 code).
if [ -z "${OPENBLAS_CORETYPE+x}" ] && [ -z "${TEST_WRAPPER:-}" ] && [ -x build/blas_info ]; then
    ct=$(build/blas_info --coretype 2>/dev/null || true)
    if [ -n "$ct" ]; then
        OPENBLAS_CORETYPE=$ct; export OPENBLAS_CORETYPE
        echo "run.sh: OPENBLAS_CORETYPE=$ct (OpenBLAS had chosen kernels older than this CPU)"
    fi
fi

total_pass=0
total_fail=0
failed_names=""
jobs=${TEST_JOBS:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/symlearn-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Add up the result of program number $1 (name $2).
tally() {
    i=$1; name=$2
    rc=$(cat "$tmp/$i.rc" 2>/dev/null || echo 127)
    line=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$tmp/$i.log" 2>/dev/null | tail -n 1)
    if [ -n "$line" ]; then
        p=${line%% passed*}
        f=${line#*passed, }; f=${f%% failed*}
    elif [ "$rc" -eq 0 ]; then
        p=1; f=0
    else
        p=0; f=0
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "run.sh: $name exited with status $rc"
        f=1
    fi
    [ "$f" -ne 0 ] && failed_names="$failed_names $name"
    echo "-- $name: $p passed, $f failed ($(cat "$tmp/$i.sec" 2>/dev/null || echo '?') s)"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

# Binaries first (in parallel when TEST_JOBS > 1), then make: targets.
i=0
bins=""
for t in "$@"; do
    case $t in make:*) continue ;; esac
    i=$((i + 1))
    if [ ! -x "$t" ]; then
        echo "run.sh: $t: no such test program"
        echo 127 > "$tmp/$i.rc"; : > "$tmp/$i.log"
        continue
    fi
    bins="$bins $i"
    printf '%s\n' "$t" > "$tmp/$i.name"
done
if [ "$jobs" -gt 1 ] && [ -n "$bins" ]; then
    for j in $bins; do printf '%s %s\n' "$j" "$(cat "$tmp/$j.name")"; done |
        xargs -P "$jobs" -n 2 sh "$0" --one "$tmp"
fi
i=0
for t in "$@"; do
    case $t in make:*) continue ;; esac
    i=$((i + 1))
    echo "== $t"
    if [ "$jobs" -gt 1 ]; then
        cat "$tmp/$i.log"
    elif [ -x "$t" ]; then
        RUN_STREAM=1 sh "$0" --one "$tmp" "$i" "$t"
    fi
    tally "$i" "$t"
done
for t in "$@"; do
    case $t in make:*) ;; *) continue ;; esac
    i=$((i + 1))
    echo "== ${t#make:}"
    RUN_STREAM=1 sh "$0" --one "$tmp" "$i" "$t"
    tally "$i" "${t#make:}"
done

[ -n "$failed_names" ] && echo "FAILED:$failed_names"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
