#!/bin/sh
# Run the C benchmarks (build/bench/bench_*) and, when PyTorch is importable by
# /usr/bin/python3, the matching peers (PEERS/NAME.py) on the same thread count;
# print one comparison table and save every JSON line to build/bench/results.jsonl.
#   THREADS=N      threads for both sides (default 1)
#   PEERS=dir      the peers (default: ../shared/bench/peers from the repo root)
#   WORKLOADS=".." which ones (default: "dense hnn siamese lcnn lcnn-forward symgen e6 conserved lax cy cnn worm";
#                  e6, symmetry discovery of E6 by training, has no peer)
#   BENCH_ARGS=".." extra arguments for both sides (e.g. "--steps 20")
#   BENCH_CORETYPE=auto|keep|NAME  OpenBLAS kernels for both sides.  auto (the
#                  default): when OpenBLAS chose kernels older than the CPU
#                  (OpenBLAS 0.3.21 falls back to Prescott on CPUs newer than
#                  itself), set OPENBLAS_CORETYPE to the ones it can run (what
#                  tools/blas_info.c suggests); keep: leave OpenBLAS's choice;
#                  NAME: OPENBLAS_CORETYPE=NAME.  An OPENBLAS_CORETYPE already
#                  in the environment is kept.
# The conditions of the run (CPU, its clock, BLAS and core type, thread
# settings, load average before and after) are printed beside the table.
set -u
ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT" || exit 1
THREADS=${THREADS:-1}
PEERS=${PEERS:-$ROOT/../shared/bench/peers}
WORKLOADS=${WORKLOADS:-"dense hnn siamese lcnn lcnn-forward symgen e6 conserved lax cy cnn worm"}
BENCH_DIR=${BENCH_DIR:-build/bench}
BENCH_ARGS=${BENCH_ARGS:-}
PY=/usr/bin/python3
OUT=$BENCH_DIR/results.jsonl

# Both sides get the same BLAS/OpenMP thread count (OpenBLAS otherwise starts
# one thread per core whatever torch.set_num_threads says).
: "${OPENBLAS_NUM_THREADS:=$THREADS}" "${OMP_NUM_THREADS:=$THREADS}"
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS

mkdir -p "$BENCH_DIR"
: > "$OUT"

# ---- conditions --------------------------------------------------------------
BLAS_INFO=build/blas_info
BENCH_CORETYPE=${BENCH_CORETYPE:-auto}
coretype_note=""
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    coretype_note="from the environment"
elif [ "$BENCH_CORETYPE" = auto ]; then
    suggest=$("$BLAS_INFO" --coretype 2>/dev/null || true)
    if [ -n "$suggest" ]; then
        chosen=$("$BLAS_INFO" | sed -n 's/.*; core \([A-Za-z0-9]*\)).*/\1/p' | head -n 1)
        OPENBLAS_CORETYPE=$suggest; export OPENBLAS_CORETYPE
        coretype_note="set by bench/run.sh: OpenBLAS had chosen $chosen, older than this CPU (BENCH_CORETYPE=keep keeps it)"
    fi
elif [ "$BENCH_CORETYPE" != keep ]; then
    OPENBLAS_CORETYPE=$BENCH_CORETYPE; export OPENBLAS_CORETYPE
    coretype_note="BENCH_CORETYPE"
fi
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }
load_before=$(loadavg)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
cpu_mhz=$(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | sort -n | sed -n '1p;$p' | paste -sd- -)
governor=$(cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_governor 2>/dev/null || echo "none exposed")
blas_line=$("$BLAS_INFO" 2>/dev/null | sed -n 's/^libsymlearn: BLAS: //p' | head -n 1)
blas_ok=1
case $blas_line in OpenBLAS*|BLIS*) ;; *) blas_ok=0 ;; esac

have_torch=0
if [ -x "$PY" ] && "$PY" -c 'import torch' >/dev/null 2>&1 && [ -f "$PEERS/common.py" ]; then
    have_torch=1
fi

# field JSON KEY: the value of "KEY" in a one-line JSON object (numbers/strings).
field() {
    printf '%s\n' "$1" | sed -n "s/.*\"$2\": *\"\{0,1\}\([^,\"}]*\).*/\1/p"
}
lastjson() { grep '^{' | tail -n 1; }

status=0
rows=""
for w in $WORKLOADS; do
    bin=$BENCH_DIR/bench_$w
    peer=$w
    wargs=""
    # lcnn-forward is bench_lcnn / peers/lcnn.py in forward mode (WORKLOADS.md)
    if [ "$w" = lcnn-forward ]; then
        bin=$BENCH_DIR/bench_lcnn
        peer=lcnn
        wargs="--mode forward --L 32 --batch 2 --channels 8,8,8,8 --kernels 4,4,4,4 --steps 5"
    fi
    if [ ! -x "$bin" ]; then
        echo "run.sh: $bin not built (make bench-build)" >&2; status=1; continue
    fi
    echo "== $w: C ($THREADS thread(s))" >&2
    # shellcheck disable=SC2086
    cj=$("$bin" --threads "$THREADS" $wargs $BENCH_ARGS | lastjson)
    if [ -z "$cj" ]; then echo "run.sh: $bin failed" >&2; status=1; continue; fi
    printf '%s\n' "$cj" >> "$OUT"
    printf '%s\n' "$cj" >&2
    pj=""
    # a peer that is not in PEERS may live in the repo's bench/peers (it finds common.py in PEERS)
    peerdir=$PEERS
    if [ ! -f "$PEERS/$peer.py" ] && [ -f "$ROOT/bench/peers/$peer.py" ]; then peerdir=$ROOT/bench/peers; fi
    # the worm peer is plain Python (no torch needed)
    if { [ $have_torch = 1 ] || { [ "$peer" = worm ] && [ -x "$PY" ]; }; } && [ -f "$peerdir/$peer.py" ]; then
        echo "== $w: peer" >&2
        # shellcheck disable=SC2086
        pj=$(PEERS="$PEERS" "$PY" "$peerdir/$peer.py" --threads "$THREADS" $wargs $BENCH_ARGS | lastjson)
        if [ -n "$pj" ]; then printf '%s\n' "$pj" >> "$OUT"; printf '%s\n' "$pj" >&2
        else echo "run.sh: peer $w failed" >&2; status=1; fi
    fi
    rows="$rows$w|$(field "$cj" seconds)|$(field "$pj" seconds)|$(field "$cj" loss)|$(field "$pj" loss)|$(field "$cj" gflops)|$(field "$cj" dgemm_gflops)|$(field "$cj" accuracy)|$(field "$pj" accuracy)|$(field "$pj" gflops)|$(field "$cj" floor_seconds)|$(field "$cj" floor_fraction)|$(field "$cj" cpu_seconds)|$(field "$cj" floor_cpu_seconds)
"
done

load_after=$(loadavg)
torch_line="-"
if [ $have_torch = 1 ]; then
    torch_line=$("$PY" -c 'import torch; print("torch %s, intra-op threads %d by default" % (torch.__version__, torch.get_num_threads()))' 2>/dev/null || echo "?")
fi
echo
echo "conditions ($(date -u '+%Y-%m-%d %H:%M UTC')):"
echo "  CPU:     ${cpu_model:-unknown}, $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?") logical CPUs, clock ${cpu_mhz:-?} MHz now, governor $governor"
echo "  BLAS:    ${blas_line:-unknown (build/blas_info missing: make)}"
echo "  OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}${coretype_note:+ ($coretype_note)}"
echo "  threads: THREADS=$THREADS for both sides (OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS OMP_NUM_THREADS=$OMP_NUM_THREADS; peers call torch.set_num_threads)"
echo "  peer:    $torch_line"
echo "  load average (1/5/15 min): before $load_before, after $load_after"
busy=$(awk -v l="${load_before%% *}" -v n="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" 'BEGIN { print (l + 0 > 0.5 * n) ? 1 : 0 }')
if [ "$busy" = 1 ]; then
    echo "  warning: the machine was busy when the run started (load ${load_before%% *} on $(getconf _NPROCESSORS_ONLN) CPUs): times and ratios are not reliable"
fi
echo
echo "threads = $THREADS; C: $(field "$cj" impl 2>/dev/null)${pj:+; peer: $(field "$pj" impl)}"
printf '%s' "$rows" | awk -F'|' -v blas_ok="$blas_ok" '
function num(s) { return s == "" ? "-" : s }
function fmt(s, f) { return s == "" ? "-" : sprintf(f, s) }
BEGIN {
    printf "%-12s | %10s | %10s | %12s | %22s | %22s | %9s\n",
        "workload", "C s", "peer s", "ratio peer/C", "C final loss", "peer final loss", "rel diff"
    printf "%s\n", "-------------+------------+------------+--------------+------------------------+------------------------+----------"
}
{
    ratio = ($2 != "" && $3 != "" && $2 > 0) ? sprintf("%.2fx", $3 / $2) : "-"
    rd = "-"
    if ($4 != "" && $5 != "") {
        d = $4 - $5; if (d < 0) d = -d
        m = $5 < 0 ? -$5 : $5
        rd = sprintf("%.2e", m > 0 ? d / m : d)
    }
    printf "%-12s | %10s | %10s | %12s | %22s | %22s | %9s\n",
        $1, fmt($2, "%.4f"), fmt($3, "%.4f"), ratio, fmt($4, "%.17g"), fmt($5, "%.17g"), rd
    if ($6 != "") extra = extra sprintf("%s: C %.2f GFLOP/s, dgemm %.2f GFLOP/s, fraction %.1f%%%s%s\n",
        $1, $6, $7, 100 * $6 / $7, $10 != "" ? sprintf(" (peer %.2f GFLOP/s)", $10) : "",
        blas_ok ? "" : " -- dgemm here is NOT an optimised BLAS (reference BLAS?): not a GEMM floor")
    if ($8 != "") extra = extra sprintf("%s: accuracy C %s, peer %s\n", $1, $8, num($9))
    if ($11 != "" && $12 != "") extra = extra sprintf("%s: GEMM floor %.4f s = %.1f%% of the C time%s%s\n", $1, $11, 100 * $12,
        ($13 != "" && $14 != "" && $13 > 0) ? sprintf(" (cpu: floor %.4f s, C %.4f s, %.1f%%)", $14, $13, 100 * $14 / $13) : "",
        blas_ok ? "" : " -- dgemm here is NOT an optimised BLAS: not a GEMM floor")
}
END { printf "%s", extra }'
if [ $have_torch = 0 ]; then
    echo
    echo "note: PyTorch peers skipped (/usr/bin/python3 cannot import torch, or no peers in $PEERS)."
    echo "      install it with: apt-get install -y python3-torch"
fi
echo "JSON lines saved to $OUT"
exit $status
