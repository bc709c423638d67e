#!/usr/bin/python3
"""Trains word2vec in gensim (Debian's python3-gensim) for tools/compare_peers.sh: skip-gram or
CBOW (sg, with cbow_mean=1 as word2vec.c's -cbow 1), negative sampling or hierarchical softmax (hs,
negative=0), timing the vocabulary scan and the training separately, and saves the vectors in
word2vec's binary format for `w2v eval analogy`:

  /usr/bin/python3 tools/peers/gensim_train.py --corpus F --output vectors.bin --timing timing.json \
      --dim 100 --window 5 --negatives 5 --subsample 1e-4 --min-count 5 --lr 0.025 \
      --min-lr 2.5e-6 --noise-exponent 0.75 --epochs 1 --threads 2 --seed 1 \
      --max-sentence-length 1000 [--arch skipgram|cbow] [--loss negative_sampling|hierarchical_softmax]

timing.json gets {"wrap_s", "vocab_s", "train_s", "trained_words", "raw_words"}: train_s is the
train() call alone, as w2v's own figure leaves out vocabulary building.
"""
import argparse
import json
import logging
import os
import time

from gensim.models import Word2Vec


def wrap_lines(source, target, limit, chunk_bytes=1 << 24):
    """Copies a text corpus with every line cut into lines of at most `limit` words, reading it in
    chunks: a corpus may be one 100 MB line, as text8 is."""
    words_on_line = 0
    tail = b""
    with open(source, "rb") as src, open(target, "wb") as out:
        while True:
            chunk = src.read(chunk_bytes)
            data = tail + chunk
            tail = b""
            if chunk:
                # The chunk's last word may go on in the next chunk.
                end = len(data)
                while end > 0 and not data[end - 1:end].isspace():
                    end -= 1
                data, tail = data[:end], data[end:]
            lines = data.split(b"\n")
            for number, line in enumerate(lines):
                words = line.split()
                room = limit - words_on_line
                if words[:room]:
                    out.write((b" " if words_on_line else b"") + b" ".join(words[:room]))
                    words_on_line += len(words[:room])
                for start in range(room, len(words), limit):
                    out.write(b"\n" + b" ".join(words[start:start + limit]))
                    words_on_line = len(words[start:start + limit])
                if number < len(lines) - 1 and words_on_line:  # the line really ends here
                    out.write(b"\n")
                    words_on_line = 0
            if not chunk:
                break
        if words_on_line:
            out.write(b"\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("corpus", "output", "timing"):
        parser.add_argument("--" + name, required=True)
    for name in ("dim", "window", "negatives", "min-count", "epochs", "threads", "seed",
                 "max-sentence-length"):
        parser.add_argument("--" + name, type=int, required=True)
    for name in ("subsample", "lr", "min-lr", "noise-exponent"):
        parser.add_argument("--" + name, type=float, required=True)
    parser.add_argument("--arch", choices=["skipgram", "cbow"], default="skipgram")
    parser.add_argument("--loss", choices=["negative_sampling", "hierarchical_softmax"],
                        default="negative_sampling")
    args = parser.parse_args()
    tree = args.loss == "hierarchical_softmax"
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)

    # corpus_file mode: each worker reads its own byte range of the file, as w2v's shards do,
    # instead of one Python thread feeding sentences to all of them. It trains only the first 10,000
    # words of a longer line (text8's one line gave 40,000 words an epoch with 2 workers), so it reads
    # a copy cut as w2v cuts sentences.
    start = time.perf_counter()
    corpus = os.path.join(os.path.dirname(os.path.abspath(args.output)), "corpus.txt")
    wrap_lines(args.corpus, corpus, args.max_sentence_length)
    wrap_s = time.perf_counter() - start
    model = Word2Vec(sg=1 if args.arch == "skipgram" else 0, cbow_mean=1, hs=1 if tree else 0,
                     vector_size=args.dim, window=args.window, negative=0 if tree else args.negatives,
                     sample=args.subsample, min_count=args.min_count, alpha=args.lr,
                     min_alpha=args.min_lr, ns_exponent=args.noise_exponent, epochs=args.epochs,
                     workers=args.threads, seed=args.seed)
    start = time.perf_counter()
    model.build_vocab(corpus_file=corpus)
    vocab_s = time.perf_counter() - start
    start = time.perf_counter()
    trained, raw = model.train(corpus_file=corpus, total_words=model.corpus_total_words,
                               epochs=args.epochs)
    train_s = time.perf_counter() - start
    os.remove(corpus)
    model.wv.save_word2vec_format(args.output, binary=True)
    with open(args.timing, "w", encoding="utf-8") as out:
        json.dump({"wrap_s": wrap_s, "vocab_s": vocab_s, "train_s": train_s, "trained_words": trained,
                   "raw_words": raw}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
