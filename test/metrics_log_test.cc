// metrics.jsonl's writer: one record a line after the earlier ones, the file always whole.
#include "trainer/metrics_log.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test/run_binary.h"

namespace w2v::trainer {
namespace {

TEST(MetricsLogTest, AppendsLinesAfterTheEarlierOnesInFieldOrder) {
  testing::TempDir dir;
  const std::string path = dir.File("metrics.jsonl");
  MetricsLog log(path, "{\"earlier\":1}\n");
  ASSERT_TRUE(log.Append({{"time_s", Rounded(1.23456, 3)}, {"words", 10}, {"loss", NAN}}).ok());
  nlohmann::ordered_json record = {{"b", 2}, {"a", 1}};
  record["final"] = true;
  ASSERT_TRUE(log.Append(record).ok());
  const std::string expected =
      "{\"earlier\":1}\n"
      "{\"time_s\":1.235,\"words\":10,\"loss\":null}\n"
      "{\"b\":2,\"a\":1,\"final\":true}\n";
  EXPECT_EQ(log.text(), expected);
  EXPECT_EQ(testing::ReadFile(path), expected);
}

TEST(MetricsLogTest, AFailedWriteIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  MetricsLog log(dir.File("no/such/dir/metrics.jsonl"), "");
  const absl::Status s = log.Append({{"words", 1}});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no/such/dir/metrics.jsonl"), std::string::npos) << s;
}

TEST(MetricsLogTest, RoundedKeepsTheDigitsAskedFor) {
  EXPECT_EQ(Rounded(0.1234567, 6), 0.123457);
  EXPECT_EQ(Rounded(1234.56, 1), 1234.6);
  EXPECT_EQ(Rounded(-2.5e-7, 6), -0.0);
  EXPECT_TRUE(std::isnan(Rounded(NAN, 3)));
  EXPECT_TRUE(std::isinf(Rounded(INFINITY, 3)));
}

}  // namespace
}  // namespace w2v::trainer
