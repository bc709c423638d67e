#!/usr/bin/python3
"""The CS224N assignment's picture: chosen words' vectors reduced to two dimensions by SVD of the
centred vectors and drawn with their labels. Run with Debian's python3 (python3-matplotlib):

  /usr/bin/python3 tools/plot_words.py runs/sst/sample_vectors.json [-o word_vectors.png]
  /usr/bin/python3 tools/plot_words.py --vectors runs/sst/vectors.txt --words king queen man woman

sample_vectors.json is {"word": [v1, ...], ...} as `w2v train` writes it; a vectors file is
word2vec's text or binary format (as `w2v train` writes it), searched for the listed words (exact
spelling first, then ignoring ASCII case). The PNG goes to -o, by default word_vectors.png beside
the input. Exit status: 0 done, 1 an input could not be read, 2 a usage error.
"""
import argparse
import json
import os
import sys

import numpy as np

from plot_common import plt, save


class InputError(Exception):
    pass


def read_sample(path):
    try:
        with open(path, encoding="utf-8") as f:
            sample = json.load(f)
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: not JSON ({e.msg})") from e
    if not isinstance(sample, dict) or not sample:
        raise InputError(f'{path}: expected {{"word": [values...], ...}} with at least one word')
    return list(sample.keys()), np.array(list(sample.values()), dtype=np.float64)


def is_text_row(row_start):
    """As w2v's reader decides: a text row holds only number characters after its word."""
    rest = row_start.split(b" ", 1)[1] if b" " in row_start else b""
    rest = rest.split(b"\n", 1)[0]
    return bool(rest) and all(c in b"0123456789.+-eE \t\r" for c in rest)


def read_vectors(path, wanted):
    """The rows of the wanted words from a word2vec text or binary file."""
    try:
        data = open(path, "rb").read()
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from e
    header_end = data.find(b"\n")
    try:
        count, dim = (int(x) for x in data[:header_end].split())
    except ValueError:
        raise InputError(f"{path}:1: expected a header of two integers 'COUNT DIM'") from None
    rows = {}
    pos = header_end + 1
    text = is_text_row(data[pos:pos + 4 * dim + 64])
    for row in range(count):
        if text:
            end = data.find(b"\n", pos)
            end = len(data) if end < 0 else end
            fields = data[pos:end].split()
            pos = end + 1
            if len(fields) != dim + 1:
                raise InputError(f"{path}:{row + 2}: expected {dim} values, found {len(fields) - 1}")
            word, values = fields[0], np.array(fields[1:], dtype=np.float64)
        else:
            while pos < len(data) and data[pos:pos + 1] in b" \t\r\n":
                pos += 1
            space = data.find(b" ", pos)
            if space < 0 or space + 1 + 4 * dim > len(data):
                raise InputError(f"{path}: row {row + 1}: truncated")
            word = data[pos:space]
            values = np.frombuffer(data, dtype="<f4", count=dim, offset=space + 1).astype(np.float64)
            pos = space + 1 + 4 * dim
        rows.setdefault(word.decode("utf-8", "replace"), values)
    by_folded = {}
    for word in reversed(list(rows)):
        by_folded[word.lower()] = word
    found, vectors = [], []
    for word in wanted:
        match = word if word in rows else by_folded.get(word.lower())
        if match is None:
            print(f"plot_words: '{word}' is not in {path}; left out", file=sys.stderr)
            continue
        found.append(match)
        vectors.append(rows[match])
    if len(found) < 2:
        raise InputError(f"{path}: fewer than two of the listed words are in it")
    return found, np.array(vectors)


def reduce_to_2d(vectors):
    """Coordinates on the two leading principal axes: SVD of the centred vectors."""
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ axes[:2].T


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sample", nargs="?", help="sample_vectors.json written by w2v train")
    parser.add_argument("--vectors", help="a word2vec text or binary vectors file instead")
    parser.add_argument("--words", nargs="+", help="the words to draw (with --vectors)")
    parser.add_argument("-o", "--output", help="the PNG to write (default: word_vectors.png "
                        "beside the input)")
    args = parser.parse_args()
    if (args.sample is None) == (args.vectors is None):
        parser.error("give sample_vectors.json or --vectors, not both")
    if args.vectors is not None and not args.words:
        parser.error("--vectors needs --words")
    source = args.sample or args.vectors
    output = args.output or os.path.join(os.path.dirname(source), "word_vectors.png")

    try:
        words, vectors = read_sample(source) if args.sample else read_vectors(source, args.words)
    except InputError as e:
        print(f"plot_words: {e}", file=sys.stderr)
        return 1
    coords = reduce_to_2d(vectors)

    figure, axes = plt.subplots(figsize=(8, 6))
    axes.scatter(coords[:, 0], coords[:, 1], s=12, color="tab:blue")
    for word, (x, y) in zip(words, coords):
        axes.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=10)
    axes.set(title=f"{len(words)} word vectors, SVD of the centred vectors",
             xlabel="first singular direction", ylabel="second singular direction")
    axes.grid(True, alpha=0.3)
    return save(figure, output, "plot_words")


if __name__ == "__main__":
    sys.exit(main())
