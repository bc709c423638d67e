#!/usr/bin/env bash
# Puts the training and evaluation data in data/ (which git ignores). From a local mirror when there is
# one (default ../shared/data beside the project, when it exists), otherwise from the datasets'
# public sources.
# Usage: tools/fetch_data.sh [MIRROR_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

mirror="${1:-}"
if [ -z "$mirror" ] && [ -d ../shared/data ]; then mirror=../shared/data; fi
mkdir -p data

corpus=text8like-enwiki2015
sst=stanfordSentimentTreebank

if [ -n "$mirror" ]; then
  [ -d "$mirror" ] || { echo "fetch_data: $mirror: no such directory" >&2; exit 1; }
  if [ ! -f "data/$corpus" ]; then
    unzip -o -q "$mirror/$corpus.zip" -d data.tmp.$$ && mv "data.tmp.$$/$corpus" "data/$corpus"
    rmdir data.tmp.$$
  fi
  for dir in analogy word-sim ptb "$sst"; do
    [ -d "$mirror/$dir" ] && { mkdir -p "data/$dir"; cp -r --no-preserve=mode,ownership "$mirror/$dir/." "data/$dir/"; }
  done
else
  # No mirror: the public originals. The real text8 stands in for the text8-like corpus.
  fetch() { curl -fsSL --retry 3 -o "$2.part" "$1" && mv "$2.part" "$2"; }
  if [ ! -f "data/$corpus" ]; then
    fetch http://mattmahoney.net/dc/text8.zip data/text8.zip
    unzip -o -q data/text8.zip -d data && mv data/text8 "data/$corpus" && rm data/text8.zip
  fi
  mkdir -p data/analogy data/word-sim
  [ -f data/analogy/questions-words.txt ] || fetch \
    https://raw.githubusercontent.com/tmikolov/word2vec/master/questions-words.txt \
    data/analogy/questions-words.txt
  for f in EN-WS-353-ALL EN-SIMLEX-999 EN-MEN-TR-3k; do
    [ -f "data/word-sim/$f.txt" ] || fetch \
      "https://raw.githubusercontent.com/mfaruqui/eval-word-vectors/master/data/word-sim/$f.txt" \
      "data/word-sim/$f.txt"
  done
  if [ ! -f "data/$sst/datasetSentences.txt" ]; then
    fetch http://nlp.stanford.edu/~socherr/stanfordSentimentTreebank.zip data/sst.zip
    unzip -o -q data/sst.zip -d data && rm data/sst.zip
  fi
fi
echo "data ready in $(pwd)/data" >&2
