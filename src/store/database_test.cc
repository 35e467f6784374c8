#include "store/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "core/files.h"
#include "store/migrations.h"
#include "store/testing/migrated_database_test.h"
#include "store/testing/test_database.h"

namespace clipthat::store {
namespace {

using testing::Backend;

class DatabaseTest : public testing::MigratedDatabaseTest {
 protected:
  std::string AddUser(const std::string& email) {
    const std::string id = NewId();
    EXPECT_TRUE(db().Execute("INSERT INTO users (id, email, password_hash, created_at_ms) "
                             "VALUES ($1, $2, 'h', $3)",
                             {id, email, NowMs()})
                    .ok());
    return id;
  }
};

TEST_P(DatabaseTest, MigrateIsIdempotentAndVersioned) {
  ASSERT_TRUE(Migrate(db()).ok());
  ASSERT_TRUE(Migrate(db()).ok());
  auto version = SchemaVersion(db());
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, AllMigrations().back().version);
  auto rows = db().Query("SELECT COUNT(*) AS n FROM schema_migrations");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->at(0).Int("n"), static_cast<std::int64_t>(AllMigrations().size()));
}

TEST_P(DatabaseTest, ConcurrentMigratorsAllSucceed) {
  // Three more handles on the same database, as three server processes starting at once.
  std::vector<std::unique_ptr<Database>> handles;
  for (int i = 0; i < 3; ++i) {
    auto handle = OpenDatabase(test_->url(), 2);
    ASSERT_TRUE(handle.ok()) << handle.status().ToString();
    handles.push_back(std::move(handle).value());
  }
  std::vector<Status> results(handles.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < handles.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = Migrate(*handles[i]); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_P(DatabaseTest, CrudAndCascade) {
  const std::string user = AddUser("a@example.com");
  const std::string vod = NewId();
  const std::int64_t now = NowMs();
  ASSERT_TRUE(db().Execute("INSERT INTO vods (id, user_id, title, status, created_at_ms, "
                           "updated_at_ms) VALUES ($1, $2, $3, 'uploading', $4, $4)",
                           {vod, user, std::string("Stream one"), now})
                  .ok());
  auto changed = db().Execute(
      "UPDATE vods SET status = 'ready', duration_ms = $2, size_bytes = $3 WHERE id = $1",
      {vod, std::int64_t{90'000}, std::int64_t{1} << 40});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 1);

  auto rows = db().Query(
      "SELECT id, title, status, duration_ms, size_bytes, error, received_bytes FROM vods "
      "WHERE user_id = $1",
      {user});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = rows->at(0);
  EXPECT_EQ(row.Text("id"), vod);
  EXPECT_EQ(row.Text("title"), "Stream one");
  EXPECT_EQ(row.Text("status"), "ready");
  EXPECT_EQ(row.Int("duration_ms"), 90'000);
  EXPECT_EQ(row.Int("size_bytes"), std::int64_t{1} << 40);
  EXPECT_EQ(row.OptInt("duration_ms"), std::optional<std::int64_t>(90'000));
  EXPECT_TRUE(row.IsNull("error"));
  EXPECT_EQ(row.OptText("error"), std::nullopt);
  EXPECT_EQ(row.Text("error"), "");
  EXPECT_EQ(row.Int("received_bytes"), 0);  // the column default
  EXPECT_TRUE(row.IsNull("no_such_column"));
  EXPECT_EQ(row.Text(std::size_t{1}), "Stream one");

  // Deleting the user removes the VOD (foreign keys are enforced in both backends).
  ASSERT_TRUE(db().Execute("DELETE FROM users WHERE id = $1", {user}).ok());
  auto left = db().Query("SELECT COUNT(*) AS n FROM vods");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->at(0).Int("n"), 0);
}

TEST_P(DatabaseTest, RealsAndNullParameters) {
  const std::string user = AddUser("r@example.com");
  const std::string vod = NewId();
  ASSERT_TRUE(db().Execute("INSERT INTO vods (id, user_id, title, status, source_url, "
                           "created_at_ms, updated_at_ms) VALUES ($1, $2, 't', 'ready', $3, 1, 1)",
                           {vod, user, SqlValue{}})
                  .ok());
  ASSERT_TRUE(db().Execute("INSERT INTO moments (id, user_id, vod_id, rank, start_ms, end_ms, "
                           "score, title, data, created_at_ms) VALUES ($1, $2, $3, 1, 0, 1000, "
                           "$4, 't', '{}', 1)",
                           {NewId(), user, vod, 0.625})
                  .ok());
  auto rows = db().Query("SELECT score FROM moments WHERE vod_id = $1", {vod});
  ASSERT_TRUE(rows.ok());
  EXPECT_DOUBLE_EQ(rows->at(0).Real("score"), 0.625);
  auto vods = db().Query("SELECT source_url FROM vods WHERE id = $1", {vod});
  ASSERT_TRUE(vods.ok());
  EXPECT_TRUE(vods->at(0).IsNull("source_url"));
}

TEST_P(DatabaseTest, SqlMetacharactersAreStoredVerbatim) {
  const std::string user = AddUser("m@example.com");
  const std::vector<std::string> nasty = {
      "'; DROP TABLE users; --",
      "Robert'); DELETE FROM vods WHERE ('1'='1",
      "$1 $2 ?1 ? :name @p",
      "\"quoted\" and 'single' and `back`",
      "back\\slash \\x00 %_ LIKE wildcards",
      "line\nbreak\ttab",
      "unicode: h\xC3\xA9llo \xF0\x9F\x8E\xAC",
  };
  for (const std::string& title : nasty) {
    const std::string vod = NewId();
    ASSERT_TRUE(db().Execute("INSERT INTO vods (id, user_id, title, status, created_at_ms, "
                             "updated_at_ms) VALUES ($1, $2, $3, 'ready', 1, 1)",
                             {vod, user, title})
                    .ok())
        << title;
    auto rows = db().Query("SELECT title FROM vods WHERE title = $1", {title});
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), 1u) << title;
    EXPECT_EQ(rows->at(0).Text("title"), title);
  }
  auto count = db().Query("SELECT COUNT(*) AS n FROM vods WHERE user_id = $1", {user});
  ASSERT_TRUE(count.ok()) << count.status().ToString();  // the tables are all still there
  EXPECT_EQ(count->at(0).Int("n"), static_cast<std::int64_t>(nasty.size()));
}

TEST_P(DatabaseTest, ConstraintViolationsHaveCodes) {
  AddUser("dup@example.com");
  Status dup = db().Execute(
                       "INSERT INTO users (id, email, password_hash, created_at_ms) "
                       "VALUES ($1, 'dup@example.com', 'h', 1)",
                       {NewId()})
                   .status();
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists) << dup.ToString();
  EXPECT_NE(dup.message().find("INSERT INTO users"), std::string::npos) << dup.message();

  Status fk = db().Execute(
                      "INSERT INTO vods (id, user_id, title, status, created_at_ms, "
                      "updated_at_ms) VALUES ($1, 'nobody', 't', 'ready', 1, 1)",
                      {NewId()})
                  .status();
  EXPECT_EQ(fk.code(), StatusCode::kInvalidArgument) << fk.ToString();

  Status bad = db().Query("SELEC nonsense FROM nowhere").status();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("SELEC nonsense"), std::string::npos) << bad.message();
}

TEST_P(DatabaseTest, TransactionCommitsOrRollsBack) {
  const std::string user = AddUser("t@example.com");
  Status failed = db().Transaction([&](Database& tx) -> Status {
    RETURN_IF_ERROR(
        tx.Execute("UPDATE users SET password_hash = 'changed' WHERE id = $1", {user}).status());
    return DataError("stop here");
  });
  EXPECT_EQ(failed.code(), StatusCode::kDataError);
  auto rows = db().Query("SELECT password_hash FROM users WHERE id = $1", {user});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).Text("password_hash"), "h");

  Status ok = db().Transaction([&](Database& tx) -> Status {
    RETURN_IF_ERROR(
        tx.Execute("UPDATE users SET password_hash = 'one' WHERE id = $1", {user}).status());
    // A nested Transaction joins the outer one.
    return tx.Transaction([&](Database& inner) {
      return inner
          .Execute("UPDATE users SET password_hash = password_hash || '-two' WHERE id = $1", {user})
          .status();
    });
  });
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  rows = db().Query("SELECT password_hash FROM users WHERE id = $1", {user});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).Text("password_hash"), "one-two");
}

TEST_P(DatabaseTest, ExceptionInTransactionRollsBackAndFreesTheConnection) {
  const std::string user = AddUser("x@example.com");
  // A one-connection pool: the next call gets the same connection back.
  auto single = OpenDatabase(test_->url(), 1);
  ASSERT_TRUE(single.ok()) << single.status().ToString();
  EXPECT_THROW((void)(*single)->Transaction([&](Database& tx) -> Status {
    (void)tx.Execute("UPDATE users SET password_hash = 'thrown' WHERE id = $1", {user});
    throw std::runtime_error("handler threw");
  }),
               std::runtime_error);
  auto rows = (*single)->Query("SELECT password_hash FROM users WHERE id = $1", {user});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->at(0).Text("password_hash"), "h");
  EXPECT_TRUE((*single)->Transaction([](Database&) { return Status::Ok(); }).ok());
}

TEST_P(DatabaseTest, ConcurrentTransactionsDoNotLoseUpdates) {
  const std::string user = AddUser("c@example.com");
  ASSERT_TRUE(
      db().Execute("INSERT INTO settings (user_id, ai, updated_at_ms) VALUES ($1, '{}', 0)", {user})
          .ok());
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status s = db().Transaction([&](Database& tx) -> Status {
          std::string lock = "SELECT updated_at_ms FROM settings WHERE user_id = $1";
          if (tx.dialect() == Dialect::kPostgres) lock += " FOR UPDATE";
          ASSIGN_OR_RETURN(auto rows, tx.Query(lock, {user}));
          const std::int64_t next = rows.at(0).Int("updated_at_ms") + 1;
          return tx
              .Execute("UPDATE settings SET updated_at_ms = $2 WHERE user_id = $1", {user, next})
              .status();
        });
        if (!s.ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  auto rows = db().Query("SELECT updated_at_ms FROM settings WHERE user_id = $1", {user});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).Int("updated_at_ms"), kThreads * kIncrements);
}

TEST(SqliteFilesTest, TheDatabaseAndItsWalAndShmFilesAreOwnerOnly) {
  TempDir dir("clipthat-sqlite-modes");
  const auto path = dir.path() / "data" / "clipthat.db";
  ASSERT_TRUE(EnsurePrivateDirectory(path.parent_path()).ok());
  auto db = OpenDatabase("sqlite:" + path.string(), 2);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(Migrate(**db).ok());
  const auto mode = [](const std::filesystem::path& p) {
    return static_cast<int>(std::filesystem::status(p).permissions() & std::filesystem::perms::all);
  };
  EXPECT_EQ(mode(path.parent_path()), 0700);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::filesystem::path file = path.string() + suffix;
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_EQ(mode(file), 0600) << file;
  }
}

TEST_P(DatabaseTest, PingAnswers) { EXPECT_TRUE(db().Ping().ok()); }

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

TEST(OpenDatabaseTest, ErrorsNameTheUrlWithoutPassword) {
  // Port 1 on loopback refuses connections: no server is needed for this test.
  auto db = OpenDatabase("postgres://clip:s3cret-pw@127.0.0.1:1/clipthat", 1);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().message().find("s3cret-pw"), std::string::npos) << db.status().message();
  EXPECT_NE(db.status().message().find("postgres://clip:***@127.0.0.1:1/clipthat"),
            std::string::npos)
      << db.status().message();

  auto unknown = OpenDatabase("mysql://root:pw@localhost/x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message().find(":pw@"), std::string::npos);

  EXPECT_FALSE(OpenDatabase("sqlite::memory:").ok());
  EXPECT_FALSE(OpenDatabase("sqlite:/nonexistent-dir/sub/x.db").ok());
}

TEST(NewIdTest, IdsAreHexAndDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewId();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

// Schema v4 rebuilds `clips` (a live clip has no VOD): the clips of a v3 database survive it,
// with their VOD's cascade, and a clip without a VOD can then be stored.
class SchemaUpgradeTest : public ::testing::TestWithParam<Backend> {};

TEST_P(SchemaUpgradeTest, ClipsSurviveTheLiveClipsRebuild) {
  if (GetParam() == Backend::kPostgres && testing::TestPostgresUrl().empty()) {
    GTEST_SKIP() << "CLIPTHAT_TEST_POSTGRES_URL is not set (scripts/test sets it)";
  }
  auto test = testing::TestDatabase::Create(GetParam());
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  Database& db = (*test)->db();
  // The database as version 3 left it.
  ASSERT_OK(db.Execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT "
                       "NOT NULL, applied_at_ms BIGINT NOT NULL)")
                .status());
  for (const Migration& m : AllMigrations()) {
    if (m.version > 3) break;
    for (const std::string& statement : m.statements) ASSERT_OK(db.Execute(statement).status());
    ASSERT_OK(db.Execute("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES "
                         "($1, $2, 0)",
                         {static_cast<std::int64_t>(m.version), m.name})
                  .status());
  }
  ASSERT_OK(db.Execute("INSERT INTO users (id, email, password_hash, created_at_ms) VALUES "
                       "('u1', 'u1@example.com', 'h', 1)")
                .status());
  ASSERT_OK(db.Execute("INSERT INTO vods (id, user_id, title, status, created_at_ms, "
                       "updated_at_ms) VALUES ('v1', 'u1', 't', 'ready', 1, 1)")
                .status());
  ASSERT_OK(db.Execute("INSERT INTO clips (id, user_id, vod_id, status, edit_list, title, "
                       "output_key, created_at_ms, updated_at_ms) VALUES ('c1', 'u1', 'v1', "
                       "'ready', '{}', 'old clip', 'clips/c1/clip.mp4', 5, 6)")
                .status());

  ASSERT_OK(Migrate(db));
  auto version = SchemaVersion(db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, AllMigrations().back().version);
  auto rows =
      db.Query("SELECT id, vod_id, live_job_id, title, output_key, created_at_ms FROM clips");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text("vod_id"), "v1");
  EXPECT_FALSE((*rows)[0].OptText("live_job_id").has_value());
  EXPECT_EQ((*rows)[0].Text("title"), "old clip");
  EXPECT_EQ((*rows)[0].Text("output_key"), "clips/c1/clip.mp4");
  EXPECT_EQ((*rows)[0].Int("created_at_ms"), 5);

  ASSERT_OK(db.Execute("INSERT INTO jobs (id, user_id, kind, status, created_at_ms, "
                       "updated_at_ms) VALUES ('j1', 'u1', 'live', 'running', 1, 1)")
                .status());
  ASSERT_OK(db.Execute("INSERT INTO clips (id, user_id, vod_id, live_job_id, status, edit_list, "
                       "created_at_ms, updated_at_ms) VALUES ('c2', 'u1', NULL, 'j1', "
                       "'rendering', '{}', 7, 7)")
                .status());
  // The VOD's cascade still reaches its clips; the live clip has none.
  ASSERT_OK(db.Execute("DELETE FROM vods WHERE id = 'v1'").status());
  auto left = db.Query("SELECT id FROM clips");
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].Text("id"), "c2");
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemaUpgradeTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

TEST(RedactUrlTest, HidesPasswords) {
  EXPECT_EQ(RedactUrl("postgres://u:p@h:5432/db"), "postgres://u:***@h:5432/db");
  EXPECT_EQ(RedactUrl("postgres://u@h/db"), "postgres://u@h/db");
  EXPECT_EQ(RedactUrl("postgres://h/db?user=u&password=p&x=1"),
            "postgres://h/db?user=u&password=***&x=1");
  EXPECT_EQ(RedactUrl("sqlite:/tmp/a.db"), "sqlite:/tmp/a.db");
}

}  // namespace
}  // namespace clipthat::store
