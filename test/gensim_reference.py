"""Reference numbers from gensim and scipy for eval_test's agreement tests (run with Debian's
/usr/bin/python3, which has python3-gensim and python3-scipy).

  gensim_reference.py analogy VECTORS QUESTIONS RESTRICT
      prints "SECTION<TAB>SEEN<TAB>CORRECT_3COSADD<TAB>CORRECT_3COSMUL" per section: 3CosAdd from
      KeyedVectors.evaluate_word_analogies(restrict_vocab=RESTRICT), 3CosMul from most_similar_cosmul
      over the first RESTRICT words with the same case-insensitive rules.
  gensim_reference.py similarity VECTORS PAIRS...
      prints "PAIRS_FILE<TAB>SEEN<TAB>RHO": scipy.stats.spearmanr of cosine against the human score
      over the pairs whose words are both in the vectors (case-insensitive, the first spelling).
"""
import sys

import numpy as np


def load(path):
    from gensim.models import KeyedVectors
    return KeyedVectors.load_word2vec_format(path, binary=path.endswith(".bin"))


def analogy(vectors_path, questions_path, restrict):
    from gensim.models import KeyedVectors
    kv = load(vectors_path)
    _, sections = kv.evaluate_word_analogies(questions_path, restrict_vocab=restrict)
    sections = sections[:-1]  # the last is gensim's "Total accuracy"
    add_correct = {s["section"]: len(s["correct"]) for s in sections}
    seen = {s["section"]: len(s["correct"]) + len(s["incorrect"]) for s in sections}

    # 3CosMul: gensim's evaluate_word_analogies has no switch for it in 4.2, so its loop is repeated
    # here with most_similar_cosmul over a KeyedVectors of the first `restrict` words.
    first = KeyedVectors(kv.vector_size)
    first.add_vectors(kv.index_to_key[:restrict], kv.vectors[:restrict])
    canonical = {}
    for key in reversed(first.index_to_key):
        canonical[key.upper()] = key
    mul_correct, section = {}, None
    for line in open(questions_path, encoding="utf-8"):
        if line.startswith(": "):
            section = line[2:].strip()
            mul_correct[section] = 0
            continue
        words = [w.upper() for w in line.split()]
        if len(words) != 4 or any(w not in canonical for w in words):
            continue
        a, b, c, expected = words
        for key, _ in first.most_similar_cosmul(
                positive=[canonical[b], canonical[c]], negative=[canonical[a]], topn=10):
            if key.upper() not in (a, b, c):
                mul_correct[section] += key.upper() == expected
                break
    for name in add_correct:
        print(f"{name}\t{seen[name]}\t{add_correct[name]}\t{mul_correct[name]}")


def similarity(vectors_path, pair_paths):
    from scipy.stats import spearmanr
    kv = load(vectors_path)
    canonical = {}
    for key in reversed(kv.index_to_key):
        canonical[key.upper()] = key
    for path in pair_paths:
        model, human = [], []
        for line in open(path, encoding="utf-8"):
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            a, b = fields[0].upper(), fields[1].upper()
            if a not in canonical or b not in canonical:
                continue
            u = kv[canonical[a]].astype(np.float64)
            v = kv[canonical[b]].astype(np.float64)
            model.append(u.dot(v) / np.linalg.norm(u) / np.linalg.norm(v))
            human.append(float(fields[2]))
        print(f"{path}\t{len(model)}\t{spearmanr(model, human).correlation:.6f}")


if __name__ == "__main__":
    if sys.argv[1] == "analogy":
        analogy(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        similarity(sys.argv[2], sys.argv[3:])
