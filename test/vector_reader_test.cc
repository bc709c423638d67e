// The readers of word vectors and evaluation sets: every format the tools around word2vec write,
// and every malformed input as an error naming the file and the line or row.
#include "io/vector_reader.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/matrix.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/evaluation_sets.h"
#include "io/vectors.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using w2v::testing::BinaryRow;
using w2v::testing::StatusIs;
using w2v::testing::TempDir;

const std::vector<std::string> kWords = {"the", "king", "queen"};
const std::vector<float> kValues = {0.5f, -1.25f, 3e-3f, -0.0f, 1.0f / 3, 7.0f};

void ExpectKnownVectors(const absl::StatusOr<WordVectors>& vectors) {
  W2V_ASSERT_OK(vectors);
  EXPECT_EQ(vectors->words, kWords);
  EXPECT_EQ(vectors->dim, 2);
  EXPECT_EQ(vectors->header_rows, 3);
  EXPECT_EQ(vectors->values, kValues);
}

class VectorReaderTest : public ::testing::Test {
 protected:
  absl::StatusOr<WordVectors> ReadText(const std::string& text, int64_t max_rows = -1) {
    dir_.Write("vectors.txt", text);
    return ReadVectors(dir_.File("vectors.txt"), max_rows);
  }
  absl::StatusOr<WordVectors> ReadBinary(const std::string& bytes) {
    dir_.Write("vectors.bin", bytes);
    return ReadVectors(dir_.File("vectors.bin"));
  }
  std::string Path(const std::string& name) const { return dir_.File(name); }

  TempDir dir_;
};

TEST_F(VectorReaderTest, ReadsWord2vecText) {
  // word2vec.c ends every value, the last included, with a space.
  ExpectKnownVectors(ReadText("3 2\nthe 0.5 -1.25 \nking 0.003 -0 \nqueen 0.33333334 7 \n"));
}

TEST_F(VectorReaderTest, ReadsCrlfTabsAndNoFinalNewline) {
  ExpectKnownVectors(ReadText("3 2\r\nthe\t0.5 -1.25\r\nking 3e-3  -0.0\r\nqueen 0.33333334 7"));
}

TEST_F(VectorReaderTest, ReadsFastTextVec) {
  // fastText's .vec: the same layout, exponents where the value needs them.
  ExpectKnownVectors(ReadText("3 2\nthe 0.5 -1.25 \nking 3E-03 -0 \nqueen 3.3333334e-01 7.0 \n"));
}

TEST_F(VectorReaderTest, ReadsBinaryWithAndWithoutNewlines) {
  const std::string header = "3 2\n";
  const std::string the = BinaryRow("the", {0.5f, -1.25f});
  const std::string king = BinaryRow("king", {3e-3f, -0.0f});
  const std::string queen = BinaryRow("queen", {1.0f / 3, 7.0f});
  // word2vec.c: a newline after each row.
  ExpectKnownVectors(ReadBinary(header + the + "\n" + king + "\n" + queen + "\n"));
  // gensim: none.
  ExpectKnownVectors(ReadBinary(header + the + king + queen));
}

TEST_F(VectorReaderTest, ReadsWhatTheWritersWrite) {
  std::vector<float> values = kValues;
  const core::MatrixView view{values.data(), 3, 2, 2};
  W2V_ASSERT_OK(WriteVectorsText(Path("w.txt"), kWords, view));
  W2V_ASSERT_OK(WriteVectorsBinary(Path("w.bin"), kWords, view));
  ExpectKnownVectors(ReadVectors(Path("w.txt")));
  ExpectKnownVectors(ReadVectors(Path("w.bin")));
}

TEST_F(VectorReaderTest, MaxRowsStopsEarlyWithoutReadingTheRest) {
  auto vectors = ReadText("3 2\nthe 0.5 -1.25\nking 1 2\nqueen not numbers at all\n", 2);
  W2V_ASSERT_OK(vectors);
  EXPECT_THAT(vectors->words, ElementsAre("the", "king"));
  EXPECT_EQ(vectors->header_rows, 3);
  EXPECT_EQ(vectors->values.size(), 4u);
}

TEST_F(VectorReaderTest, MissingFileIsNotFound) {
  EXPECT_THAT(ReadVectors(Path("nope.txt")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope.txt")));
}

TEST_F(VectorReaderTest, HeaderThatIsNotTwoIntegersIsAnError) {
  for (const std::string header : {"", "3\n", "3 2 1\n", "three 2\n", "3 2.5\n", "3 -2\n", "3 0\n",
                                   "-1 2\n", "3 99999999999\n"}) {
    EXPECT_THAT(ReadText(header + "the 1 2\n"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vectors.txt:1: ")))
        << "header '" << header << "'";
  }
}

TEST_F(VectorReaderTest, FewerRowsThanTheHeaderSaysIsAnError) {
  EXPECT_THAT(ReadText("4 2\nthe 1 2\nking 3 4\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.txt:4: the file ends after 2 rows; the header says 4")));
  EXPECT_THAT(ReadBinary("4 2\n" + BinaryRow("the", {1, 2}) + "\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.bin: row 2: the file ends after 1 rows")));
}

TEST_F(VectorReaderTest, MoreRowsThanTheHeaderSaysIsAnError) {
  EXPECT_THAT(ReadText("1 2\nthe 1 2\nking 3 4\n\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.txt:3: more rows than the header's 1: 'king 3 4'")));
  EXPECT_THAT(ReadBinary("1 2\n" + BinaryRow("the", {1, 2}) + BinaryRow("king", {3, 4})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.bin: row 2: more rows than the header's 1")));
}

TEST_F(VectorReaderTest, RowWithTheWrongNumberOfValuesIsAnError) {
  EXPECT_THAT(ReadText("3 2\nthe 1 2\nking 3\nqueen 5 6\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.txt:3: expected 2 values, found 1")));
  EXPECT_THAT(ReadText("3 2\nthe 1 2\nking 3 4\nqueen 5 6 7 \n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.txt:4: expected 2 values, found 3")));
  EXPECT_THAT(ReadText("2 2\nthe 1 2\n\nking 3 4\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vectors.txt:3: empty row")));
}

TEST_F(VectorReaderTest, ValueThatIsNotANumberIsAnError) {
  EXPECT_THAT(ReadText("2 2\nthe 1 2\nking 3 x4\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.txt:3: value 2 'x4' is not a number")));
}

TEST_F(VectorReaderTest, NanAndInfinityAreErrorsNamingTheRow) {
  for (const std::string bad : {"nan", "-inf", "inf", "1e39", "NaN", "-Infinity"}) {
    EXPECT_THAT(ReadText("2 2\nthe 1 2\nking 3 " + bad + "\n"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("vectors.txt:3: value 2 '" + bad + "' is not a finite number")));
    // In the first row too, where the reader tells text from binary: it is still read as text.
    EXPECT_THAT(ReadText("2 2\nthe " + bad + " 2\nking 3 4\n"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("vectors.txt:2: value 1 '" + bad + "' is not a finite number")));
  }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(ReadBinary("2 2\n" + BinaryRow("the", {1, 2}) + BinaryRow("king", {nan, 1})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.bin: row 2: 'king': value 1 is not a finite number")));
}

TEST_F(VectorReaderTest, TruncatedBinaryRowIsDataLoss) {
  const std::string king = BinaryRow("king", {3, 4});
  EXPECT_THAT(
      ReadBinary("2 2\n" + BinaryRow("the", {1, 2}) + "\n" + king.substr(0, king.size() - 3)),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("vectors.bin: row 2: 'king' is truncated: 2 floats need 8 bytes, "
                         "5 are left")));
}

TEST_F(VectorReaderTest, BinaryRowWithoutAWordIsAnError) {
  EXPECT_THAT(ReadBinary("2 2\n" + BinaryRow("the", {1, 2}) + "\nking"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors.bin: row 2: expected a word and a space")));
}

TEST(EvaluationSetsTest, ReadsAnalogySections) {
  TempDir dir;
  dir.Write("q.txt",
            ": capitals\nAthens Greece Oslo Norway\r\n\n: gram plural\nkey keys  dog dogs\n");
  auto sections = ReadAnalogyQuestions(dir.File("q.txt"));
  W2V_ASSERT_OK(sections);
  ASSERT_EQ(sections->size(), 2u);
  EXPECT_EQ((*sections)[0].name, "capitals");
  EXPECT_THAT((*sections)[0].questions,
              ElementsAre(std::array<std::string, 4>{"Athens", "Greece", "Oslo", "Norway"}));
  EXPECT_EQ((*sections)[1].name, "gram plural");
  EXPECT_THAT((*sections)[1].questions,
              ElementsAre(std::array<std::string, 4>{"key", "keys", "dog", "dogs"}));
}

TEST(EvaluationSetsTest, ReadsWordPairsWithTabsSpacesAndComments) {
  TempDir dir;
  dir.Write("p.txt", "# Word 1\tWord 2\tHuman (mean)\nlove\tsex\t6.77\r\ntiger cat 7.35\n\n");
  auto pairs = ReadWordPairs(dir.File("p.txt"));
  W2V_ASSERT_OK(pairs);
  ASSERT_EQ(pairs->size(), 2u);
  EXPECT_EQ((*pairs)[0].first, "love");
  EXPECT_EQ((*pairs)[0].second, "sex");
  EXPECT_DOUBLE_EQ((*pairs)[0].score, 6.77);
  EXPECT_EQ((*pairs)[1].first, "tiger");
  EXPECT_DOUBLE_EQ((*pairs)[1].score, 7.35);
}

TEST(EvaluationSetsTest, MalformedFilesNameTheLine) {
  struct Case {
    bool questions;  // or word pairs
    std::string contents;
    std::string error;
  };
  const Case cases[] = {
      {true, ": s\na b c d\na b c\n", "f.txt:3: expected 4 words 'a b c d', found 3"},
      {true, "\na b c d\n", "f.txt:2: a question before the first ': SECTION' line"},
      {true, ": s\n", "f.txt: no questions"},
      {false, "love sex 6.77\nword1 word2 POS SimLex999\n",
       "f.txt:2: expected 'word1 word2 score', found 4 fields"},
      {false, "love sex high\n", "f.txt:1: the score 'high' is not a number"},
      {false, "# only a comment\n", "f.txt: no word pairs"},
  };
  TempDir dir;
  const std::string path = dir.File("f.txt");
  for (const Case& c : cases) {
    dir.Write("f.txt", c.contents);
    const absl::Status status =
        c.questions ? ReadAnalogyQuestions(path).status() : ReadWordPairs(path).status();
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.error)))
        << c.contents;
  }
}

}  // namespace
}  // namespace w2v::io
