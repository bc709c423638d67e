#!/usr/bin/env bash
# End-to-end test of the benchmark harnesses on a tiny corpus it makes: tools/scaling.sh at 1 and 2
# threads, and tools/compare_peers.sh with no peers (w2v alone), must write their tables, JSON and
# loss picture with every field. CTest runs it with the w2v binary and the source directory:
# Usage: test/bench_tools_test.sh W2V_BINARY SOURCE_DIR   (KEEP=1 keeps its work directory)
set -euo pipefail
w2v="$1" src="$2"
work=$(mktemp -d)
trap 'if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi' EXIT

fail() { echo "FAILED: $*" >&2; exit 1; }

# 100,000 tokens of 60 words with Zipf-like frequencies, in lines of 20.
/usr/bin/python3 -c '
import random
random.seed(7)
words = [f"w{i}" for i in range(60)]
weights = [1 / (i + 1) for i in range(60)]
for _ in range(5000):
    print(" ".join(random.choices(words, weights, k=20)))' > "$work/corpus.txt"
cat > "$work/tiny.toml" <<EOF
[corpus]
paths = ["corpus.txt"]
[vocab]
min_count = 1
[model]
dim = 16
subsample = 1e-3
[optim]
epochs = 2
EOF
printf ': section\nw1 w2 w3 w4\nw5 w6 w7 w8\n' > "$work/questions.txt"

"$src/tools/scaling.sh" "$work/tiny.toml" --threads 1,2 --rounds 2 --w2v "$w2v" \
  --out "$work/scaling" --set output.text=false --set log.interval_seconds=0.002 > "$work/scaling.out"
for f in scaling.json scaling.md loss.png t1_r1/metrics.jsonl t2_r2/time.txt; do
  [ -s "$work/scaling/$f" ] || fail "scaling.sh wrote no $f"
done
grep -q "efficiency" "$work/scaling.out" || fail "scaling.sh printed no table"
/usr/bin/python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert len(report["runs"]) == 4, report["runs"]
assert [m["threads"] for m in report["medians"]] == [1, 2]
for run in report["runs"] + report["medians"]:
    for key in ("threads", "wall_s", "words_per_sec", "words_per_sec_per_thread",
                "effective_words_per_sec", "peak_rss_mb", "final_loss"):
        assert run[key] is not None and run[key] > 0, (key, run)
for run in report["runs"]:
    assert run["status"] == "final" and run["words"] == 100000, run  # one epoch
    assert run["kept_words"] < run["words"], run
assert report["medians"][0]["speedup"] == 1 and report["medians"][0]["efficiency"] == 1
assert report["medians"][1]["efficiency"] == report["medians"][1]["speedup"] / 2
' "$work/scaling/scaling.json" || fail "scaling.json lacks a field"

# --words: a fixed number of words stops each run where asked.
"$src/tools/scaling.sh" "$work/tiny.toml" --threads 1 --words 5000 --w2v "$w2v" \
  --out "$work/words" > /dev/null
/usr/bin/python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["status"] == "interrupted" and 5000 <= run["words"] < 100000, run
' "$work/words/scaling.json" || fail "scaling.sh --words did not stop the run"

# The baseline of independent one-thread runs: two at once beside the two-thread run.
"$src/tools/scaling.sh" "$work/tiny.toml" --threads 1,2 --independent --w2v "$w2v" \
  --out "$work/independent" --set output.text=false > "$work/independent.out"
for f in i2_r1/p1/metrics.jsonl i2_r1/p2/time.txt; do
  [ -s "$work/independent/$f" ] || fail "scaling.sh --independent wrote no $f"
done
grep -q "independent one-thread runs at once" "$work/independent.out" ||
  fail "scaling.sh --independent printed no baseline table"
/usr/bin/python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
[row] = report["independent"]
assert row["threads"] == 2 and row["words_per_sec"] > row["words_per_sec_per_process"] > 0, row
assert row["per_process_against_alone"] > 0, row
' "$work/independent/scaling.json" || fail "scaling.json lacks the independent runs"

# The peer script with no peers: w2v alone still gets its table; a second call adds a round.
for round in 1 2; do
  "$src/tools/compare_peers.sh" "$work/tiny.toml" --peers none --rounds 1 --epochs 1 \
    --questions "$work/questions.txt" --w2v "$w2v" --out "$work/peers" --set threads=1 \
    > "$work/peers.out"
done
grep -q "| w2v |" "$work/peers.out" || fail "compare_peers.sh printed no w2v row"
/usr/bin/python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["settings"]["tools"] == ["w2v"] and report["settings"]["epochs"] == 1
assert report["settings"]["corpus_words"] == 100000
assert [run["round"] for run in report["runs"]] == [1, 2]
w2v = report["medians"]["w2v"]
assert w2v["words_per_sec"] > 0 and w2v["w2v_ratio"] == 1 and "total" in w2v["analogy_last_round"]
' "$work/peers/peers.json" || fail "peers.json lacks a field"

# word2vec.c, built from its pinned source by tools/peers/build_word2vec.sh, as a peer.
"$src/tools/compare_peers.sh" "$work/tiny.toml" --peers word2vec --rounds 1 --epochs 1 \
  --questions "$work/questions.txt" --w2v "$w2v" --out "$work/peers_c" --set threads=1 \
  > "$work/peers_c.out"
grep -q "| word2vec |" "$work/peers_c.out" || fail "compare_peers.sh printed no word2vec row"
/usr/bin/python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["settings"]["tools"] == ["w2v", "word2vec"], report["settings"]
c = report["medians"]["word2vec"]
assert c["words_per_sec"] > 0 and c["w2v_ratio"] > 0 and "total" in c["analogy_last_round"], c
' "$work/peers_c/peers.json" || fail "peers.json lacks the word2vec.c row"

# pWord2Vec, built from ../shared/peers/pWord2Vec by tools/peers/build_pword2vec.sh, where that
# source is (it is not part of the project): its rate parsed from its log; a CBOW config skips it
# with a note and still compares the rest.
if [ -f "$src/../shared/peers/pWord2Vec/pWord2Vec.cpp" ]; then
  "$src/tools/compare_peers.sh" "$work/tiny.toml" --peers pword2vec --rounds 1 --epochs 1 \
    --questions "$work/questions.txt" --w2v "$w2v" --out "$work/peers_p" --set threads=1 \
    > "$work/peers_p.out"
  grep -q "| pword2vec |" "$work/peers_p.out" || fail "compare_peers.sh printed no pword2vec row"
  /usr/bin/python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["settings"]["tools"] == ["w2v", "pword2vec"], report["settings"]
p = report["medians"]["pword2vec"]
assert p["words_per_sec"] > 0 and p["train_s"] < p["wall_s"] and "total" in p["analogy_last_round"], p
' "$work/peers_p/peers.json" || fail "peers.json lacks the pword2vec row"
  "$src/tools/compare_peers.sh" "$work/tiny.toml" --peers pword2vec --rounds 1 --epochs 1 \
    --questions "$work/questions.txt" --w2v "$w2v" --out "$work/peers_pc" --set threads=1 \
    --set model.arch=cbow > "$work/peers_pc.out" 2> "$work/peers_pc.err"
  grep -q "pWord2Vec trains skip-gram with negative sampling only: skipped" "$work/peers_pc.err" \
    || fail "compare_peers.sh did not skip pWord2Vec for CBOW: $(< "$work/peers_pc.err")"
  grep -q "| pword2vec |" "$work/peers_pc.out" && fail "compare_peers.sh ran pWord2Vec for CBOW"
fi

# Rounds of other settings (here only the epochs differ) are not mixed into the same table: the
# harness refuses with exit 1 and exactly its one-line reason, and leaves the table alone. Any
# other failure (a wrong path, a crash, a harness that stopped comparing settings and failed later)
# is not the refusal.
cp "$work/peers/peers.json" "$work/peers.json.before"
status=0
"$src/tools/compare_peers.sh" "$work/tiny.toml" --peers none --rounds 1 --epochs 2 \
  --questions "$work/questions.txt" --w2v "$w2v" --out "$work/peers" --set threads=1 \
  > "$work/refused.out" 2> "$work/refused.err" || status=$?
refusal="compare_peers: $work/peers/settings.json holds rounds of other settings or tools;"
refusal+=" choose another --out or remove it"
[ "$status" = 1 ] || fail "compare_peers.sh exited $status, not 1: $(< "$work/refused.err")"
printf '%s\n' "$refusal" | cmp -s - "$work/refused.err" \
  || fail "compare_peers.sh refused other settings with: $(< "$work/refused.err")"
[ ! -s "$work/refused.out" ] || fail "compare_peers.sh refused but printed $(< "$work/refused.out")"
cmp -s "$work/peers/peers.json" "$work/peers.json.before" || fail "the refusal changed peers.json"
echo "bench tools: passed"
