"""Reference answers from gensim for eval_test's agreement tests (run with Debian's /usr/bin/python3,
which has python3-gensim and python3-scipy). Every number comes out of gensim's own evaluation
methods, with their own case folding, vocabulary restriction and exclusion of the question words:
nothing of w2v's is restated here.

  gensim_reference.py analogy VECTORS QUESTIONS RESTRICT
      prints "METHOD<TAB>SECTION<TAB>A B C EXPECTED<TAB>correct|incorrect" for every question
      KeyedVectors.evaluate_word_analogies(restrict_vocab=RESTRICT, case_insensitive=True) answered
      (the words as gensim reports them, upper-cased), METHOD being 3CosAdd or 3CosMul.
  gensim_reference.py similarity VECTORS PAIRS...
      prints "PAIRS_FILE<TAB>RHO<TAB>OOV_PERCENT" from KeyedVectors.evaluate_word_pairs over all
      the rows, case-insensitive.
"""
import sys

from gensim.models import KeyedVectors


class CosMulVectors(KeyedVectors):
    """KeyedVectors on which evaluate_word_analogies answers by 3CosMul.

    gensim 4.2's evaluate_word_analogies accepts similarity_function (added by gensim pull request
    2656) but never reads it: it always calls self.most_similar. Routing most_similar to
    most_similar_cosmul makes its own loop, with its own rules, answer by 3CosMul on this gensim,
    and a gensim that honours the argument calls most_similar_cosmul directly. Either way the calls
    are counted, so that a gensim on which neither happens fails instead of passing 3CosAdd's
    answers off as 3CosMul's.
    """

    cosmul_calls = 0

    def most_similar(self, *args, **kwargs):
        return self.most_similar_cosmul(*args, **kwargs)

    def most_similar_cosmul(self, *args, **kwargs):
        CosMulVectors.cosmul_calls += 1
        return super().most_similar_cosmul(*args, **kwargs)


def load(cls, path, limit=None):
    return cls.load_word2vec_format(path, binary=path.endswith(".bin"), limit=limit)


def print_answers(method, sections):
    for section in sections[:-1]:  # the last is gensim's "Total accuracy", the others' union
        for verdict in ("correct", "incorrect"):
            for question in section[verdict]:
                print(f"{method}\t{section['section']}\t{' '.join(question)}\t{verdict}")


def analogy(vectors_path, questions_path, restrict):
    _, by_add = load(KeyedVectors, vectors_path).evaluate_word_analogies(
        questions_path, restrict_vocab=restrict, case_insensitive=True)

    # most_similar_cosmul ignores its restrict_vocab in gensim 4.2 and ranks every row, so the
    # rows past the restriction are not loaded at all.
    cosmul = load(CosMulVectors, vectors_path, limit=restrict)
    _, by_mul = cosmul.evaluate_word_analogies(
        questions_path, restrict_vocab=restrict, case_insensitive=True,
        similarity_function="most_similar_cosmul")
    answered = sum(len(s["correct"]) + len(s["incorrect"]) for s in by_mul[:-1])
    if CosMulVectors.cosmul_calls != answered:
        sys.exit(f"gensim_reference: evaluate_word_analogies called most_similar_cosmul "
                 f"{CosMulVectors.cosmul_calls} times for {answered} questions")
    print_answers("3CosAdd", by_add)
    print_answers("3CosMul", by_mul)


def similarity(vectors_path, pair_paths):
    kv = load(KeyedVectors, vectors_path)
    for path in pair_paths:
        _, spearman, oov_percent = kv.evaluate_word_pairs(
            path, restrict_vocab=len(kv.index_to_key), case_insensitive=True)
        print(f"{path}\t{spearman[0]!r}\t{oov_percent!r}")


if __name__ == "__main__":
    if sys.argv[1] == "analogy":
        analogy(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        similarity(sys.argv[2], sys.argv[3:])
