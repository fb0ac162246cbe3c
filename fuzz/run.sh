#!/usr/bin/env bash
# Run the fuzz targets, each a single libFuzzer process (-jobs/-workers unset), sanitizer off
# (`-s none`: the library forbids unsafe code, so the coverage-guided search is the point).
#
#   fuzz/run.sh --seconds 20                 every target for 20 s, one after the other
#   fuzz/run.sh --seconds 20 --parallel 2    the same, two targets at a time (the CI smoke pass)
#   fuzz/run.sh --runs 10000000 atr          one target for ten million executions
#
# Each target starts from its committed seeds (fuzz/seeds/TARGET) and its working corpus
# (fuzz/corpus/TARGET, not committed). A crash fails the script with libFuzzer's report; the
# input is left in fuzz/artifacts/. One summary line per target: executions, executions per
# second (over the wall time of the run), seconds, corpus size.
set -euo pipefail
cd "$(dirname "$0")"
limit=()
parallel=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) limit=(-max_total_time="$2"); shift 2 ;;
        --runs) limit=(-runs="$2"); shift 2 ;;
        --parallel) parallel="$2"; shift 2 ;;
        -*) echo "usage: $0 --seconds S | --runs N [--parallel P] [TARGET...]" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
if [ ${#limit[@]} -eq 0 ]; then
    echo "usage: $0 --seconds S | --runs N [--parallel P] [TARGET...]" >&2
    exit 2
fi
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
if ! cargo fuzz build -s none >"$logs/build" 2>&1; then
    cat "$logs/build"
    exit 1
fi
triple=$(rustc -vV | sed -n 's/^host: //p')
bin=target/$triple/release
mkdir -p artifacts

# One target: its summary line in $logs/TARGET.line, libFuzzer's output in $logs/TARGET.log.
run_one() {
    local t=$1 seeds=() started ended execs
    mkdir -p "corpus/$t"
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    started=$(date +%s%N)
    "$bin/$t" "corpus/$t" "${seeds[@]}" "${limit[@]}" -print_final_stats=1 \
        -artifact_prefix="artifacts/$t-" >"$logs/$t.log" 2>&1 || return 1
    ended=$(date +%s%N)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log")
    awk -v t="$t" -v n="$execs" -v ns="$((ended - started))" -v c="$(ls "corpus/$t" | wc -l)" \
        'BEGIN { s = ns / 1e9; printf "%-22s %12d %10d %8.1f %7d\n", t, n, n / s, s, c }' >"$logs/$t.line"
}

failed=()
running=0
for t in "${targets[@]}"; do
    if [ "$running" -ge "$parallel" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    ( run_one "$t" || touch "$logs/$t.failed" ) &
    running=$((running + 1))
done
wait
printf '%-22s %12s %10s %8s %7s\n' target executions exec/s seconds corpus
for t in "${targets[@]}"; do
    if [ -e "$logs/$t.failed" ]; then
        failed+=("$t")
        grep -v '^#' "$logs/$t.log" | tail -40
    else
        cat "$logs/$t.line"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz targets failed: ${failed[*]}; the inputs are in fuzz/artifacts/" >&2
    exit 1
fi
