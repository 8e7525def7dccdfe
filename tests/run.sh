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

total_pass=0
total_fail=0
failed_names=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/symlearn-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

for t in "$@"; do
    case $t in
        make:*) name=${t#make:}; set -- ${MAKE:-make} "$name" ;;
        *)      name=$t
                if [ ! -x "$t" ]; then
                    echo "run.sh: $t: no such test program"
                    total_fail=$((total_fail + 1)); failed_names="$failed_names $name"
                    continue
                fi
                # shellcheck disable=SC2086  # TEST_WRAPPER is a command line
                set -- ${TEST_WRAPPER:-} "$t" ;;
    esac
    echo "== $name"
    { "$@" 2>&1; echo $? > "$tmp/rc"; } | tee "$tmp/log"
    rc=$(cat "$tmp/rc")
    line=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$tmp/log" | tail -n 1)
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
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done

[ -n "$failed_names" ] && echo "FAILED:$failed_names"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
