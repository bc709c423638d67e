// The config's keys: one row per key, in the order `w2v config` prints them and configs/README.md
// lists them. Adding a key is a member in TrainConfig (io/config.h), a row here and a row in
// configs/README.md; reading, range checks, printing and the documentation follow from the row.
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "io/config.h"
#include "io/config_keys.h"

namespace w2v::io::config_keys {

// Binds a key to the member of the same dotted name: the key string and the accessor come from one
// spelling, so the TOML keys are the member names.
// clang-format off
#define W2V_KEY(member) #member, +[](TrainConfig& c) -> auto& { return c.member; }
// clang-format on

const std::vector<KeySpec>& Schema() {
  static const std::vector<KeySpec> schema = [] {
    constexpr int64_t k1e6 = 1'000'000;
    constexpr int64_t k1e9 = 1'000'000'000;
    constexpr int64_t k1e12 = 1'000'000'000'000;
    std::vector<KeySpec> s;
    KeySpec threads = IntKey(W2V_KEY(threads), 1, kMaxThreads, "worker threads");
    threads.default_text = "the number of cores";
    s.push_back(std::move(threads));

    s.push_back(StringListKey(W2V_KEY(corpus.paths), /*is_path=*/true,
                              "corpus files, read in order (training needs at least one)"));
    s.push_back(EnumKey(W2V_KEY(corpus.format),
                        {{"text", CorpusFormat::kText}, {"sst", CorpusFormat::kSst}},
                        "text: whitespace-separated tokens, a sentence per line; sst: the "
                        "Stanford Sentiment Treebank's datasetSentences.txt (a header line, then "
                        "index, tab, sentence)"));
    s.push_back(BoolKey(W2V_KEY(corpus.lowercase), "ASCII lower-casing of every token"));
    s.push_back(IntKey(W2V_KEY(corpus.max_sentence_length), 1, k1e6,
                       "tokens per sentence; longer lines are cut into several sentences"));
    // At least 4 so that any UTF-8 character fits in a token.
    s.push_back(IntKey(W2V_KEY(corpus.max_token_bytes), 4, k1e6,
                       "bytes per token; longer tokens are cut at a UTF-8 character boundary"));
    s.push_back(EnumKey(W2V_KEY(corpus.invalid_utf8),
                        {{"error", InvalidUtf8Policy::kError},
                         {"replace", InvalidUtf8Policy::kReplace},
                         {"skip_line", InvalidUtf8Policy::kSkipLine}},
                        "a line that is not UTF-8: error stops; replace puts U+FFFD for each bad "
                        "sequence; skip_line drops the line. Either way a file with more than 1% "
                        "such lines, or any NUL or other control byte, is refused as binary"));

    s.push_back(IntKey(W2V_KEY(vocab.min_count), 1, k1e9, "rarer words are dropped"));
    s.push_back(
        IntKey(W2V_KEY(vocab.max_vocab), 0, k1e9, "keep only the most frequent words; 0: no cap"));
    s.push_back(IntKey(W2V_KEY(vocab.max_counted_words), 1, k1e12,
                       "distinct words held while counting (about 150 bytes each); past it the "
                       "rarest are pruned as word2vec.c's ReduceVocab does, and counts become "
                       "lower bounds"));
    s.push_back(StringKey(W2V_KEY(vocab.path), /*is_path=*/true,
                          "read the vocabulary from this `word count` file; empty: count the "
                          "corpus"));
    s.push_back(StringKey(W2V_KEY(vocab.unk_word), /*is_path=*/false,
                          "a word added once to the counted vocabulary (count + 1, so N too), as "
                          "the assignment's treebank reader adds \"UNK\"; min_count applies to "
                          "it like to any word; no whitespace; not with vocab.path; empty: none"));

    s.push_back(IntKey(W2V_KEY(model.dim), 1, 10'000, "vector dimension"));
    s.push_back(IntKey(W2V_KEY(model.window), 1, 1000, "context words on each side of the centre"));
    s.push_back(EnumKey(W2V_KEY(model.arch),
                        {{"skipgram", ArchKind::kSkipGram}, {"cbow", ArchKind::kCbow}},
                        "skipgram: each context word predicts the centre, pair by pair; cbow: the "
                        "mean of the context rows predicts it (word2vec.c's -cbow 1, gensim's sg=0 "
                        "with cbow_mean=1)"));
    s.push_back(EnumKey(
        W2V_KEY(model.loss),
        {{"negative_sampling", LossKind::kNegativeSampling},
         {"softmax", LossKind::kSoftmax},
         {"hierarchical_softmax", LossKind::kHierarchicalSoftmax}},
        "negative sampling, the full (naive) softmax, or hierarchical softmax over word2vec.c's "
        "Huffman tree of the counts"));
    s.push_back(EnumKey(W2V_KEY(model.cbow_gradient),
                        {{"word2vec", CbowGradient::kWord2Vec}, {"exact", CbowGradient::kExact}},
                        "cbow: word2vec: every context row takes the hidden vector's whole "
                        "gradient, as word2vec.c and gensim; exact: its 1/m share for m context "
                        "words, the true gradient through the mean"));
    KeySpec negatives = IntKey(W2V_KEY(model.negatives), 0, 1000,
                               "negative samples K per pair; at least 1 with negative_sampling");
    negatives.range += ", >= 1 with negative_sampling";
    s.push_back(std::move(negatives));
    s.push_back(DoubleKey(W2V_KEY(model.noise_exponent), {0, 2},
                          "negatives are drawn with probability proportional to count^exponent"));
    s.push_back(DoubleKey(W2V_KEY(model.subsample), {0, 1},
                          "frequent-word subsampling threshold t; 0: no subsampling"));
    s.push_back(EnumKey(W2V_KEY(model.subsample_formula),
                        {{"word2vec", SubsampleFormula::kWord2Vec},
                         {"assignment", SubsampleFormula::kAssignment}},
                        "the probability of keeping a word of frequency f, capped at 1: word2vec: "
                        "(sqrt(f/t) + 1)·t/f, word2vec.c's; assignment: sqrt(t/f), the CS224N "
                        "starter code's"));
    s.push_back(EnumKey(W2V_KEY(model.init),
                        {{"word2vec", InitKind::kWord2Vec}, {"assignment", InitKind::kAssignment}},
                        "both draw centre vectors uniform in ±0.5/dim and zero outside vectors; "
                        "word2vec: with word2vec.c's own generator (optim.seed = 1 gives its exact "
                        "start); assignment: with 24-bit uniforms, as the CS224N starter code"));

    s.push_back(DoubleKey(W2V_KEY(optim.lr), {0, 10, /*min_exclusive=*/true}, "learning rate"));
    s.push_back(EnumKey(
        W2V_KEY(optim.kernel), {{"block", KernelKind::kBlock}, {"pairwise", KernelKind::kPairwise}},
        "block: negative sampling as HogBatch (the window's context rows against the "
        "centre and K negatives shared by the window, as small dense blocks), naive "
        "softmax up to 16 windows per pass over U (one per 1,024 words of "
        "vocabulary); pairwise: the assignment's step, one window at a time "
        "(negative sampling: each outside word with its own K negatives)"));
    s.push_back(EnumKey(W2V_KEY(optim.schedule),
                        {{"linear", ScheduleKind::kLinear}, {"step", ScheduleKind::kStep}},
                        "linear: decay to min_lr over the run; step: multiply by step_factor "
                        "every step_every iterations"));
    KeySpec min_lr =
        DoubleKey(W2V_KEY(optim.min_lr), {0, 10}, "floor of the linear schedule; at most optim.lr");
    min_lr.range = "[0, optim.lr]";
    s.push_back(std::move(min_lr));
    s.push_back(DoubleKey(W2V_KEY(optim.step_factor), {0, 1, /*min_exclusive=*/true},
                          "step schedule: the learning rate's factor at each step"));
    s.push_back(
        IntKey(W2V_KEY(optim.step_every), 1, k1e12, "step schedule: iterations between steps"));
    s.push_back(IntKey(W2V_KEY(optim.epochs), 1, 100'000, "passes over the corpus"));
    s.push_back(IntKey(W2V_KEY(optim.iterations), 0, k1e12,
                       "> 0: stop after this many iterations instead of `epochs`"));
    s.push_back(IntKey(W2V_KEY(optim.batch_windows), 1, k1e9,
                       "windows per iteration (the assignment's batch)"));
    // TOML integers are signed 64-bit, so that is the largest seed a file can hold.
    s.push_back(IntKey(W2V_KEY(optim.seed), 0, std::numeric_limits<int64_t>::max(), "random seed"));
    s.push_back(EnumKey(W2V_KEY(optim.sampling),
                        {{"sequential", SamplingKind::kSequential},
                         {"random_context", SamplingKind::kRandomContext}},
                        "sequential: every worker walks its shard, each position a centre once an "
                        "epoch (word2vec); random_context: each window a uniformly random "
                        "sentence and position of optim.sentence_copies subsampled copies of the "
                        "corpus, as the assignment's getRandomContext (needs optim.iterations > 0, "
                        "model.loss = \"negative_sampling\", optim.kernel = \"pairwise\" and "
                        "eval.every_epochs = 0)"));
    s.push_back(IntKey(W2V_KEY(optim.sentence_copies), 1, 1000,
                       "random_context: the subsampled copies of the corpus windows are drawn "
                       "from (the starter code's 30)"));

    s.push_back(DoubleKey(W2V_KEY(log.interval_seconds), {0, 86'400, /*min_exclusive=*/true},
                          "seconds between progress lines"));

    s.push_back(DoubleKey(W2V_KEY(snapshot.every_seconds), {0, 1e9},
                          "seconds between snapshots; 0: only the final one"));
    s.push_back(StringKey(W2V_KEY(snapshot.path), /*is_path=*/true,
                          "snapshot file; empty: <output.dir>/snapshot.w2v"));

    s.push_back(DoubleKey(W2V_KEY(distributed.sync_seconds), {0, 3600, /*min_exclusive=*/true},
                          "under mpirun: seconds between two syncs of the ranks' models"));
    s.push_back(IntKey(W2V_KEY(distributed.sync_rows), 1, k1e9,
                       "under mpirun: rows of the most frequent words in every sync; twice as "
                       "many every second sync, four times every fourth, up to the whole model"));
    s.push_back(EnumKey(W2V_KEY(distributed.combine),
                        {{"adaptive", CombineKind::kAdaptive},
                         {"mean", CombineKind::kMean},
                         {"sum", CombineKind::kSum}},
                        "under mpirun: how the ranks' changes to a row since the last sync "
                        "combine: adaptive, the sum's direction at the root-sum-square of their "
                        "lengths (the sum when they are independent); mean; sum"));

    s.push_back(IntKey(W2V_KEY(eval.every_epochs), 0, k1e9,
                       "evaluate the vectors after every N epochs and at the end, into "
                       "metrics.jsonl; 0: never"));
    s.push_back(StringKey(W2V_KEY(eval.questions), /*is_path=*/true,
                          "analogy questions (questions-words.txt format) for eval.every_epochs"));
    s.push_back(StringListKey(W2V_KEY(eval.pairs), /*is_path=*/true,
                              "word-similarity files (word1 word2 score) for eval.every_epochs"));
    s.push_back(IntKey(W2V_KEY(eval.restrict), 0, k1e9,
                       "the evaluation uses the N most frequent words; 0: all"));

    s.push_back(StringKey(W2V_KEY(output.dir), /*is_path=*/true, "where the results go"));
    s.push_back(BoolKey(W2V_KEY(output.text), "write vectors.txt"));
    s.push_back(BoolKey(W2V_KEY(output.binary), "write vectors.bin"));
    s.push_back(StringListKey(W2V_KEY(output.sample_words), /*is_path=*/false,
                              "words for sample_vectors.json and the 2-D picture"));
    s.push_back(BoolKey(W2V_KEY(output.plots), "draw the loss curve and the picture at the end"));
    return s;
  }();
  return schema;
}

#undef W2V_KEY

}  // namespace w2v::io::config_keys
