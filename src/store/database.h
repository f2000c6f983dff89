#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace barrage::store {

// One SQLite database file with versioned migrations applied at open. Blocking: call it from
// the store pool or at start-up, never from an I/O loop. Not thread-safe: one owner at a time.
class Database {
public:
    struct Options {
        std::string path;           // ":memory:" for tests
        bool synchronous_full = true;  // PRAGMA synchronous=FULL (else NORMAL)
    };

    // Opens (creating if needed), enables WAL and foreign keys, and applies migrations.
    // Exceptions from here are start-up failures (std::runtime_error naming the file).
    explicit Database(const Options& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs statements with no result; throws std::runtime_error on failure (start-up use).
    void exec(std::string_view sql);

    // A prepared statement with positional binds (1-based) and row stepping.
    class Statement {
    public:
        Statement(Database& database, std::string_view sql);
        ~Statement();
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;

        Statement& bind(int index, std::int64_t value);
        Statement& bind(int index, std::string_view value);
        // True while a row is available; false when done. Errors: Errc::internal (logged).
        Result<bool> step();
        std::int64_t column_int(int index) const;
        std::string column_text(int index) const;

    private:
        Database& database_;
        sqlite3_stmt* statement_ = nullptr;
    };

    int schema_version();

private:
    void migrate();

    sqlite3* handle_ = nullptr;
    std::string path_;
};

}  // namespace barrage::store
