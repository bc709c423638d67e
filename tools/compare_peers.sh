#!/usr/bin/env bash
# w2v against the peers that are installed, side by side on CONFIG's corpus and settings translated
# to each tool's flags (the table is in docs/PERFORMANCE.md): fastText (`fasttext skipgram|cbow`,
# `-loss ns|hs`), gensim (Word2Vec, sg, hs, cbow_mean=1, corpus_file) and word2vec.c (`-cbow`, `-hs`,
# `-negative`; built by tools/peers/build_word2vec.sh), for every model.arch × model.loss the peers
# have (skip-gram or CBOW, negative sampling or hierarchical softmax), and Intel's pWord2Vec
# (skip-gram with negative sampling only; built by tools/peers/build_pword2vec.sh from
# ../shared/peers/pWord2Vec, with the OpenBLAS kernels of this CPU forced when Debian's OpenBLAS
# falls back to SSE3). Rounds
# alternate the tools (w2v, fastText, gensim, word2vec.c; then again), so drift on a shared machine
# hits all of them alike. Prints the medians of words/s, per thread, the ratio w2v / tool, and each
# tool's analogy accuracy through `w2v eval analogy`.
#
# Usage: tools/compare_peers.sh CONFIG [--rounds R] [--epochs E] [--peers LIST] [--word2vec BIN]
#                               [--questions FILE] [--out DIR] [--w2v BIN] [--set KEY=VALUE]...
#   --rounds     rounds to run now (default 3); they are added to the rounds already in DIR when
#                those were run with the same settings, so long sessions can be split
#   --epochs     epochs of every tool (default: the config's optim.epochs)
#   --peers      comma-separated among fasttext, gensim, word2vec, pword2vec, or none (default:
#                all four; a peer that is not installed, or cannot train the model, is skipped
#                with a note)
#   --word2vec   a word2vec.c binary (default: build/peers/word2vec, built on first use)
#   --questions  analogy questions (default: data/analogy/questions-words.txt of this checkout)
#   --out        default runs/peers
#   --w2v        the w2v binary (default: build/release/trainer/w2v of this checkout)
#   --set        overrides of the config, read by every tool (e.g. --set threads=2)
#
# Writes DIR/config.toml (the effective config), DIR/settings.json, DIR/r<N>/<tool>/ (each run's
# outputs, log, time.txt from /usr/bin/time -v, analogy.txt), DIR/peers.json and DIR/peers.md (the
# table, also printed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  sed -n '/^# Usage:/,/^#$/s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

config="" rounds=3 epochs="" peers=fasttext,gensim,word2vec,pword2vec word2vec="" out=runs/peers
questions="$root/data/analogy/questions-words.txt" w2v="$root/build/release/trainer/w2v"
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="${2:?}"; shift 2 ;;
    --epochs) epochs="${2:?}"; shift 2 ;;
    --peers) peers="${2:?}"; shift 2 ;;
    --word2vec) word2vec="${2:?}"; shift 2 ;;
    --questions) questions="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --w2v) w2v="${2:?}"; shift 2 ;;
    --set) sets+=(--set "${2:?}"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "compare_peers: unknown option $1" >&2; usage ;;
    *) [ -z "$config" ] || usage; config="$1"; shift ;;
  esac
done
[ -n "$config" ] || usage
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "compare_peers: --rounds wants a positive integer" >&2; exit 2; }
if [ -n "$epochs" ]; then
  [[ "$epochs" =~ ^[1-9][0-9]*$ ]] || { echo "compare_peers: --epochs wants a positive integer" >&2; exit 2; }
  sets+=(--set "optim.epochs=$epochs")
fi
[ -x "$w2v" ] || { echo "compare_peers: $w2v: no w2v binary (build it: tools/build.sh release w2v)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare_peers: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -f "$questions" ] || { echo "compare_peers: $questions: no such file (tools/fetch_data.sh)" >&2; exit 1; }

# The tools of this comparison: w2v, then each requested peer that is here.
tools=(w2v)
IFS=, read -r -a requested <<< "$peers"
for peer in "${requested[@]}"; do
  case "$peer" in
    none) ;;
    fasttext)
      # Debian packages it: installed here when missing, as tools/setup.sh installs the rest.
      command -v fasttext > /dev/null || "$root/tools/setup.sh" fasttext || true
      if command -v fasttext > /dev/null; then tools+=(fasttext)
      else echo "compare_peers: fastText could not be installed (apt-get install fasttext): skipped" >&2; fi ;;
    gensim)
      if /usr/bin/python3 -c "import gensim" 2> /dev/null; then tools+=(gensim)
      else echo "compare_peers: gensim is not installed (apt-get install python3-gensim): skipped" >&2; fi ;;
    word2vec)
      if [ -z "$word2vec" ] && ! word2vec="$("$root/tools/peers/build_word2vec.sh")"; then
        echo "compare_peers: word2vec.c could not be built: skipped (give a binary with --word2vec BIN)" >&2
        word2vec=""
      elif [ ! -x "$word2vec" ]; then
        echo "compare_peers: $word2vec is not executable" >&2; exit 1
      fi
      [ -n "$word2vec" ] && tools+=(word2vec) ;;
    pword2vec)
      # Built below, once the config says the model is one it trains.
      tools+=(pword2vec) ;;
    *) echo "compare_peers: unknown peer $peer (fasttext, gensim, word2vec, pword2vec or none)" >&2
       exit 2 ;;
  esac
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$w2v" config "$config" ${sets[@]+"${sets[@]}"} > "$scratch/config.toml"
# The settings every tool gets, from the effective config; the corpus is counted once, as
# whitespace-separated tokens (word2vec's count of raw words), the numerator of every words/s.
corpus=$(/usr/bin/python3 -c '
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
problems = []
if c["corpus"]["format"] != "text": problems.append("corpus.format must be \"text\"")
if c["corpus"]["lowercase"]: problems.append("corpus.lowercase must be false (the peers do not lower-case)")
if c["model"]["loss"] not in ("negative_sampling", "hierarchical_softmax"):
    problems.append("model.loss must be negative_sampling or hierarchical_softmax")
if c["model"]["arch"] == "cbow" and c["model"]["cbow_gradient"] != "word2vec":
    problems.append("model.cbow_gradient must be word2vec (the peers update every context row with the whole gradient)")
if len(c["corpus"]["paths"]) != 1: problems.append("corpus.paths must name one file")
if c["optim"]["sampling"] != "sequential": problems.append("optim.sampling must be sequential (the peers walk the corpus)")
if c["optim"]["iterations"] != 0: problems.append("optim.iterations must be 0 (the peers train by epochs)")
if c["model"]["subsample_formula"] != "word2vec": problems.append("model.subsample_formula must be word2vec")
if c["vocab"]["unk_word"]: problems.append("vocab.unk_word must be empty")
if problems: sys.exit("compare_peers: the peers cannot share this config: " + "; ".join(problems))
print(c["corpus"]["paths"][0])' "$scratch/config.toml")
corpus_words=$(wc -w < "$corpus")

# pWord2Vec trains skip-gram with negative sampling alone; it runs with the OpenBLAS kernels of this
# CPU (OPENBLAS_CORETYPE, empty when OpenBLAS picks them itself).
pword2vec="" pword2vec_coretype=""
if [[ " ${tools[*]} " == *" pword2vec "* ]]; then
  keep=()
  for t in "${tools[@]}"; do [ "$t" = pword2vec ] || keep+=("$t"); done
  model=$(/usr/bin/python3 -c '
import sys, tomllib
m = tomllib.load(open(sys.argv[1], "rb"))["model"]
print(m["arch"], m["loss"])' "$scratch/config.toml")
  if [ "$model" != "skipgram negative_sampling" ]; then
    echo "compare_peers: pWord2Vec trains skip-gram with negative sampling only: skipped" >&2
  elif built=$("$root/tools/peers/build_pword2vec.sh"); then
    pword2vec=$(sed -n 1p <<< "$built")
    pword2vec_coretype=$(sed -n 2p <<< "$built")
    keep+=(pword2vec)
  else
    echo "compare_peers: pWord2Vec could not be built: skipped" >&2
  fi
  tools=("${keep[@]}")
fi

# Only now, with the config accepted: a refused one leaves no empty directory behind.
mkdir -p "$out"
/usr/bin/python3 -c '
import json, sys, tomllib
config, settings_path, corpus_words = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = tomllib.load(open(config, "rb"))
m, o = c["model"], c["optim"]
settings = {"corpus": c["corpus"]["paths"][0], "corpus_words": corpus_words, "threads": c["threads"],
            "arch": m["arch"], "loss": m["loss"], "dim": m["dim"], "window": m["window"], "negatives": m["negatives"],
            "subsample": m["subsample"], "noise_exponent": m["noise_exponent"],
            "min_count": c["vocab"]["min_count"], "lr": o["lr"], "min_lr": o["min_lr"],
            "epochs": o["epochs"], "seed": o["seed"],
            "max_sentence_length": c["corpus"]["max_sentence_length"], "tools": sys.argv[4:],
            "w2v_config": c}
try:
    old = json.load(open(settings_path))
except FileNotFoundError:
    old = settings
if old != settings:
    sys.exit(f"compare_peers: {settings_path} holds rounds of other settings or tools; "
             "choose another --out or remove it")
json.dump(settings, open(settings_path, "w"), indent=2)
for key in ("threads", "arch", "loss", "dim", "window", "negatives", "subsample", "noise_exponent", "min_count",
            "lr", "min_lr", "epochs", "seed", "max_sentence_length"):
    print(f"{key}={settings[key]}")' "$scratch/config.toml" "$out/settings.json" "$corpus_words" \
  "${tools[@]}" > "$scratch/settings.sh"
mv "$scratch/config.toml" "$out/config.toml"
# shellcheck source=/dev/null
source "$scratch/settings.sh"

# The model in each tool's flags (docs/PERFORMANCE.md has the table). Hierarchical softmax alone:
# no negatives beside it (word2vec.c and gensim would train both at once).
hs=0; fasttext_loss=ns; w2v_negatives=$negatives
if [ "$loss" = hierarchical_softmax ]; then hs=1; fasttext_loss=hs; w2v_negatives=0; fi
cbow=0; fasttext_model=skipgram
if [ "$arch" = cbow ]; then cbow=1; fasttext_model=cbow; fi

# The vectors file a tool's run in directory $2 writes.
vectors_of() {
  case "$1" in
    fasttext) echo "$2/vectors.vec" ;;
    *) echo "$2/vectors.bin" ;;
  esac
}

# One tool's run in directory $2. (`|| return`: errexit does not reach into a function tested by if.)
train() {
  local tool="$1" dir="$2"
  case "$tool" in
    w2v)
      # The binary vectors are what the evaluation reads, whatever the config says of outputs.
      /usr/bin/time -v -o "$dir/time.txt" "$w2v" train "$config" ${sets[@]+"${sets[@]}"} \
        --set output.dir="$dir" --set output.binary=true > "$dir/train.log" 2>&1 || return ;;
    fasttext)
      # -minn 0 -maxn 0 -wordNgrams 1: plain word vectors (no subword n-grams), as word2vec's.
      /usr/bin/time -v -o "$dir/time.txt" fasttext "$fasttext_model" -input "$corpus" \
        -output "$dir/vectors" -dim "$dim" -ws "$window" -neg "$negatives" -t "$subsample" \
        -minCount "$min_count" -lr "$lr" -epoch "$epochs" -thread "$threads" -seed "$seed" \
        -minn 0 -maxn 0 -wordNgrams 1 -loss "$fasttext_loss" -verbose 1 > "$dir/train.log" 2>&1 \
        || return
      rm -f "$dir/vectors.bin" ;;  # the model; its word vectors are in vectors.vec
    gensim)
      /usr/bin/time -v -o "$dir/time.txt" /usr/bin/python3 "$root/tools/peers/gensim_train.py" \
        --corpus "$corpus" --output "$dir/vectors.bin" --timing "$dir/timing.json" --dim "$dim" \
        --window "$window" --negatives "$negatives" --subsample "$subsample" --min-count "$min_count" \
        --lr "$lr" --min-lr "$min_lr" --noise-exponent "$noise_exponent" --epochs "$epochs" \
        --threads "$threads" --seed "$seed" --max-sentence-length "$max_sentence_length" \
        --arch "$arch" --loss "$loss" > "$dir/train.log" 2>&1 || return ;;
    pword2vec)
      # Its batch of inputs is the whole window, 2·window + 1, as its README runs it.
      # A stray OPENBLAS_CORETYPE from the caller's environment is dropped: build_pword2vec.sh
      # chose the kernels without it (one environment here set Haswell's on an AVX-512 CPU, and
      # pWord2Vec ran 4x slower). openblas.txt records the kernels the run got.
      local blas=(env -u OPENBLAS_CORETYPE ${pword2vec_coretype:+OPENBLAS_CORETYPE="$pword2vec_coretype"})
      echo "OPENBLAS_CORETYPE=${pword2vec_coretype:-none, OpenBLAS picks the kernels of this CPU}:" \
        "$("${blas[@]}" "$(dirname "$pword2vec")/openblas_corename")" > "$dir/openblas.txt"
      "${blas[@]}" /usr/bin/time -v -o "$dir/time.txt" "$pword2vec" -train "$corpus" \
        -output "$dir/vectors.bin" -size "$dim" -window "$window" -negative "$negatives" \
        -sample "$subsample" -min-count "$min_count" -alpha "$lr" -iter "$epochs" \
        -threads "$threads" -batch-size $((2 * window + 1)) -binary 1 > "$dir/train.log" 2>&1 \
        || return ;;
    word2vec)
      /usr/bin/time -v -o "$dir/time.txt" "$word2vec" -train "$corpus" -output "$dir/vectors.bin" \
        -size "$dim" -window "$window" -negative "$w2v_negatives" -sample "$subsample" \
        -min-count "$min_count" -alpha "$lr" -iter "$epochs" -threads "$threads" -cbow "$cbow" \
        -hs "$hs" -binary 1 > "$dir/train.log" 2>&1 || return ;;
  esac
}

# New rounds follow the ones already in DIR.
first=1
for d in "$out"/r[0-9]*; do
  [ -d "$d" ] && n="${d##*/r}" && [ "$n" -ge "$first" ] && first=$((n + 1))
done
for ((r = first; r < first + rounds; r++)); do
  for tool in "${tools[@]}"; do
    dir="$out/r$r/$tool"
    rm -rf "$dir" && mkdir -p "$dir"
    echo "compare_peers: round $r, $tool" >&2
    if ! train "$tool" "$dir"; then
      echo "compare_peers: $tool failed; the end of $dir/train.log:" >&2
      tail -n 5 "$dir/train.log" >&2
      exit 1
    fi
    "$w2v" eval analogy --vectors "$(vectors_of "$tool" "$dir")" --questions "$questions" > "$dir/analogy.txt"
  done
done

/usr/bin/python3 "$root/tools/bench_report.py" peers "$out"
