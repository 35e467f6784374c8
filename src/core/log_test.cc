#include "core/log.h"

#include <gtest/gtest.h>

namespace clipthat {
namespace {

TEST(LoggerTest, CarriesModuleJobAndStageAndFiltersByLevel) {
  auto sink = std::make_shared<MemorySink>();
  Logger root(sink, LogLevel::kInfo);
  Logger log = root.WithModule("media").WithJob("7").WithStage("probe");
  CT_LOG(log, kDebug) << "hidden";
  CT_LOG(log, kWarn) << "seen " << 42;
  auto lines = sink->lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].level, LogLevel::kWarn);
  EXPECT_EQ(lines[0].module, "media");
  EXPECT_EQ(lines[0].job, "7");
  EXPECT_EQ(lines[0].stage, "probe");
  EXPECT_EQ(lines[0].message, "seen 42");
}

TEST(LoggerTest, DisabledLevelDoesNotFormat) {
  auto sink = std::make_shared<MemorySink>();
  Logger log(sink, LogLevel::kError);
  int evaluated = 0;
  auto expensive = [&] {
    ++evaluated;
    return "x";
  };
  CT_LOG(log, kInfo) << expensive();
  EXPECT_EQ(evaluated, 0);
  CT_LOG(log, kError) << expensive();
  EXPECT_EQ(evaluated, 1);
}

TEST(LoggerTest, DefaultLoggerDropsEverything) {
  Logger log;
  EXPECT_FALSE(log.Enabled(LogLevel::kError));
  CT_LOG(log, kError) << "nowhere";
}

TEST(LogLevelTest, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("off"), LogLevel::kOff);
  auto bad = ParseLogLevel("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("loud"), std::string::npos);
}

}  // namespace
}  // namespace clipthat
