// A GoogleTest fixture for store tests that run once per backend (SQLite, and PostgreSQL when
// CLIPTHAT_TEST_POSTGRES_URL is set): SetUp opens a fresh TestDatabase and migrates it, or skips
// the PostgreSQL half when no server is configured. Also EXPECT_OK / ASSERT_OK for a Status.
// Header-only; tests only.
//
//   class QueueTest : public testing::MigratedDatabaseTest {};
//   TEST_P(QueueTest, Works) { ASSERT_OK(db().Execute("...").status()); }
//   INSTANTIATE_TEST_SUITE_P(Backends, QueueTest, ::testing::Values(Backend::kSqlite, ...));
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "core/status.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/testing/test_database.h"

#define EXPECT_OK(expr)                                               \
  do {                                                                \
    const ::clipthat::Status status_ = (expr);                        \
    EXPECT_TRUE(status_.ok()) << #expr << ": " << status_.ToString(); \
  } while (0)
#define ASSERT_OK(expr)                                               \
  do {                                                                \
    const ::clipthat::Status status_ = (expr);                        \
    ASSERT_TRUE(status_.ok()) << #expr << ": " << status_.ToString(); \
  } while (0)

namespace clipthat::store::testing {

class MigratedDatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  // A subclass that adds to SetUp calls this first and returns when IsSkipped() or
  // HasFatalFailure().
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && TestPostgresUrl().empty()) {
      GTEST_SKIP() << "CLIPTHAT_TEST_POSTGRES_URL is not set (scripts/test sets it)";
    }
    auto test = TestDatabase::Create(GetParam());
    ASSERT_TRUE(test.ok()) << test.status().ToString();
    test_ = std::move(test).value();
    ASSERT_TRUE(Migrate(db()).ok());
  }

  Database& db() { return test_->db(); }

  std::unique_ptr<TestDatabase> test_;
};

}  // namespace clipthat::store::testing
