// core/embedding_store.h: row layout and initialisation.
#include "core/embedding_store.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace w2v::core {
namespace {

TEST(EmbeddingStoreTest, RowsArePaddedAlignedAndInitialisedAsWord2vec) {
  EmbeddingStore store(50, 10);
  EXPECT_EQ(store.stride(), 16);
  EXPECT_EQ(store.bytes(), 2 * 50 * 16 * 4);
  store.InitializeUniform(7);
  double sum = 0;
  for (int64_t r = 0; r < store.rows(); ++r) {
    const float* v = store.center().row(r);
    const float* u = store.outside().row(r);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v) % 64, 0u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(u) % 64, 0u);
    for (int64_t i = 0; i < 10; ++i) {
      EXPECT_GE(v[i], -0.05f);
      EXPECT_LT(v[i], 0.05f);
      EXPECT_EQ(u[i], 0.0f);
      sum += v[i];
    }
    for (int64_t i = 10; i < 16; ++i) EXPECT_EQ(v[i], 0.0f);  // padding stays zero
  }
  EXPECT_NEAR(sum / 500, 0.0, 0.005);
  // The same seed gives the same model; another seed another one.
  EmbeddingStore again(50, 10), other(50, 10);
  again.InitializeUniform(7);
  other.InitializeUniform(8);
  EXPECT_EQ(again.center().row(3)[2], store.center().row(3)[2]);
  EXPECT_NE(other.center().row(3)[2], store.center().row(3)[2]);
}

TEST(EmbeddingStoreTest, DimensionsAtAMultipleOf16NeedNoPadding) {
  EmbeddingStore store(3, 32);
  EXPECT_EQ(store.stride(), 32);
  EmbeddingStore one(1, 1);
  EXPECT_EQ(one.stride(), 16);
}
// The initialisation runs in blocks of rows, each from the generator advanced to its start: it
// must be word2vec.c's one pass row by row (init_test checks that pass against word2vec.c itself
// on a model smaller than a block), here over many blocks of an odd width, and with the other
// matrix zeroed even where a model was already trained.
TEST(EmbeddingStoreTest, Word2VecInitialisationInBlocksIsTheSerialPass) {
  const int64_t rows = 5'000, dim = 37;
  EmbeddingStore store(rows, dim);
  store.outside().row(rows - 1)[3] = 1.0f;
  store.InitializeWord2Vec(12345);
  uint64_t next_random = 12345;
  int64_t differing = 0;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t i = 0; i < dim; ++i) {
      next_random = next_random * 25214903917ULL + 11;
      const float expected =
          (static_cast<float>(next_random & 0xFFFF) / 65536.0f - 0.5f) / static_cast<float>(dim);
      differing += store.center().row(r)[i] != expected;
      differing += store.outside().row(r)[i] != 0.0f;
    }
  }
  EXPECT_EQ(differing, 0);
}
}  // namespace
}  // namespace w2v::core
