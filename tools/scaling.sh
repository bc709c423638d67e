#!/usr/bin/env bash
# Throughput across thread counts: trains CONFIG once per thread count and round (thread counts
# alternate within a round, so drift on a shared machine hits all of them alike), each run for one
# epoch or for --words N words, and tabulates wall time, training words/s (total, per thread, and
# effective: after subsampling), speed-up and parallel efficiency against the fewest threads, peak
# RSS and final loss. With --independent, each round also runs, for every thread count T above 1, T
# independent one-thread trainings at once: what the cores give when nothing is shared (on this
# kind of machine a second busy core slows each core down even then), the baseline that shows what
# Hogwild itself costs.
#
# Usage: tools/scaling.sh CONFIG [--threads 1,2,4] [--words N] [--rounds R] [--out DIR]
#                         [--independent] [--w2v BIN] [--set KEY=VALUE]...
#   --threads  thread counts (default: 1, 2, 4, ... up to the number of cores, and that number)
#   --words    stop each run after N words (w2v train --stop-after-words; the config's epochs and
#              learning-rate schedule stay); default: one epoch (--set optim.epochs=1)
#   --rounds   runs per thread count (default 1); the table shows medians
#   --out      default runs/scaling
#   --independent  also T one-thread runs at once per thread count T > 1 (DIR/i<T>_r<R>/p<K>/)
#   --w2v      the w2v binary (default: build/release/trainer/w2v of this checkout)
#   --set      passed to every `w2v train` (after the harness's own, so they win)
#
# Writes DIR/t<T>_r<R>/ (each run's w2v outputs, metrics.jsonl, train.log and time.txt from
# /usr/bin/time -v), DIR/scaling.json (every run and the medians), DIR/scaling.md (the table, also
# printed) and DIR/loss.png (the first round's loss curves, one per thread count).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  sed -n '/^# Usage:/,/^#$/s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

config="" threads="" words="" rounds=1 out=runs/scaling w2v="$root/build/release/trainer/w2v"
independent=0
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="${2:?}"; shift 2 ;;
    --words) words="${2:?}"; shift 2 ;;
    --rounds) rounds="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --independent) independent=1; shift ;;
    --w2v) w2v="${2:?}"; shift 2 ;;
    --set) sets+=(--set "${2:?}"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "scaling: unknown option $1" >&2; usage ;;
    *) [ -z "$config" ] || usage; config="$1"; shift ;;
  esac
done
[ -n "$config" ] || usage
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "scaling: --rounds wants a positive integer" >&2; exit 2; }
[ -z "$words" ] || [[ "$words" =~ ^[1-9][0-9]*$ ]] ||
  { echo "scaling: --words wants a positive integer" >&2; exit 2; }
if [ -z "$threads" ]; then
  cores=$(nproc)
  threads=1
  for ((t = 2; t < cores; t *= 2)); do threads+=",$t"; done
  [ "$cores" -gt 1 ] && threads+=",$cores"
fi
[[ "$threads" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] ||
  { echo "scaling: --threads wants a comma-separated list of positive integers" >&2; exit 2; }
[ -x "$w2v" ] || { echo "scaling: $w2v: no w2v binary (build it: tools/build.sh release w2v)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "scaling: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

# A fixed number of words stops the run (exit 0, an interrupted snapshot); otherwise one whole epoch.
if [ -n "$words" ]; then length=(--stop-after-words "$words"); else length=(--set optim.epochs=1); fi

# One training with $2 threads into directory $1, timed; fails with the end of its log.
train_one() {
  local run="$1" t="$2"
  rm -rf "$run" && mkdir -p "$run"
  # log.interval_seconds = 0.25: enough points for a loss curve of a run of a few seconds.
  if ! /usr/bin/time -v -o "$run/time.txt" "$w2v" train "$config" --set threads="$t" \
      --set output.dir="$run" --set log.interval_seconds=0.25 "${length[@]}" ${sets[@]+"${sets[@]}"} \
      > "$run/train.log" 2>&1; then
    echo "scaling: w2v train failed with $t thread(s); the end of $run/train.log:" >&2
    tail -n 5 "$run/train.log" >&2
    return 1
  fi
}

mkdir -p "$out"
IFS=, read -r -a thread_list <<< "$threads"
for ((r = 1; r <= rounds; r++)); do
  for t in "${thread_list[@]}"; do
    echo "scaling: round $r of $rounds, $t thread(s)" >&2
    train_one "$out/t${t}_r$r" "$t" || exit 1
    if [ "$independent" = 1 ] && [ "$t" -gt 1 ]; then
      echo "scaling: round $r of $rounds, $t one-thread runs at once" >&2
      rm -rf "$out/i${t}_r$r"
      pids=()
      for ((k = 1; k <= t; k++)); do
        train_one "$out/i${t}_r$r/p$k" 1 & pids+=($!)
      done
      for pid in "${pids[@]}"; do wait "$pid" || exit 1; done
    fi
  done
done

/usr/bin/python3 "$root/tools/bench_report.py" scaling "$out" --threads "$threads" --rounds "$rounds" \
  $([ "$independent" = 1 ] && echo --independent)
curves=()
for t in "${thread_list[@]}"; do curves+=("$out/t${t}_r1/metrics.jsonl"); done
# The table stands without the picture (plot_loss.py has said why).
/usr/bin/python3 "$root/tools/plot_loss.py" "${curves[@]}" -o "$out/loss.png" ||
  echo "scaling: no loss.png" >&2
