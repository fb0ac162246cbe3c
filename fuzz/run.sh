#!/usr/bin/env bash
# Run the fuzz targets one after the other, single process (-jobs/-workers unset), sanitizer
# off (`-s none`: the library forbids unsafe code, so the coverage-guided search is the point).
#
#   fuzz/run.sh --seconds 20            every target for 20 s (the CI smoke pass)
#   fuzz/run.sh --runs 10000000 atr     one target for ten million executions
#
# Each target starts from its committed seeds (fuzz/seeds/TARGET) and its working corpus
# (fuzz/corpus/TARGET, not committed). A crash stops the script with libFuzzer's report; the
# input is left in fuzz/artifacts/. One summary line per target: executions, executions per
# second, seconds, corpus size.
set -euo pipefail
cd "$(dirname "$0")"
limit=()
case "${1:-}" in
    --seconds) limit=(-max_total_time="$2"); shift 2 ;;
    --runs) limit=(-runs="$2"); shift 2 ;;
    *) echo "usage: $0 --seconds S | --runs N [TARGET...]" >&2; exit 2 ;;
esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi
build_log=$(mktemp)
if ! cargo fuzz build -s none >"$build_log" 2>&1; then
    cat "$build_log"
    exit 1
fi
rm -f "$build_log"
triple=$(rustc -vV | sed -n 's/^host: //p')
bin=target/$triple/release
mkdir -p artifacts
printf '%-22s %12s %10s %8s %7s\n' target executions exec/s seconds corpus
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    seeds=()
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    log=$(mktemp)
    started=$(date +%s%N)
    if ! "$bin/$t" "corpus/$t" "${seeds[@]}" "${limit[@]}" -print_final_stats=1 \
        -artifact_prefix="artifacts/$t-" >"$log" 2>&1; then
        grep -v '^#' "$log" | tail -40
        echo "fuzz target $t failed; the input is in fuzz/artifacts/" >&2
        rm -f "$log"
        exit 1
    fi
    ended=$(date +%s%N)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    awk -v t="$t" -v n="$execs" -v ns="$((ended - started))" -v c="$(ls "corpus/$t" | wc -l)" \
        'BEGIN { s = ns / 1e9; printf "%-22s %12d %10d %8.1f %7d\n", t, n, n / s, s, c }'

    rm -f "$log"
done
