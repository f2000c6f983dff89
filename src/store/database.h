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
        std::string path;              // ":memory:" for tests
        bool synchronous_full = true;  // PRAGMA synchronous=FULL (else NORMAL)
        // Opens an existing file read-only: no pragmas that write, no migrations. A second
        // connection for readers beside a writer (WAL lets them run concurrently).
        bool read_only = false;
    };

    // Opens (creating if needed), enables WAL and foreign keys, and applies migrations.
    // Read-only: opens an existing file and checks that it is at the latest version.
    // Exceptions from here are start-up failures (std::runtime_error naming the file).
    explicit Database(const Options& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs statements with no result; throws std::runtime_error on failure (start-up use).
    void exec(std::string_view sql);

    // True inside BEGIN ... COMMIT. SQLite rolls a transaction back by itself after some
    // errors (disk full, I/O error); callers holding a batch open check this after a failure.
    bool in_transaction() const;
    // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    std::int64_t changes() const;

    // A prepared statement with positional binds (1-based) and row stepping.
    class Statement {
    public:
        // Never throws: a statement that fails to prepare is logged, and its step() (so each_row)
        // answers Errc::internal; binds and column reads on it do nothing and read nothing.
        Statement(Database& database, std::string_view sql);
        ~Statement();
        Statement(const Statement&) = delete;
        Statement& operator=(const Statement&) = delete;

        Statement& bind(int index, std::int64_t value);
        Statement& bind(int index, std::string_view value);
        Statement& bind_null(int index);
        // True while a row is available; false when done. Errors: Errc::internal (logged).
        Result<bool> step();
        // Steps through the rows, calling on_row() for each: it reads the current row and
        // returns false to stop early. An error only when a step fails (that of step(), already
        // logged); rows read before it have been handed over, so a caller may keep them.
        template <typename OnRow>
        Status each_row(OnRow on_row) {
            while (true) {
                auto row = step();
                if (!row) {
                    return row.error();
                }
                if (!*row || !on_row()) {
                    return {};
                }
            }
        }
        // Makes the statement ready to run again and clears its binds. A reused statement must
        // be reset after its last step: an unfinished SELECT keeps its read snapshot open.
        void reset();
        std::int64_t column_int(int index) const;
        std::string column_text(int index) const;
        // Column checks for values read back from disk, where a type is not guaranteed.
        bool column_is_null(int index) const;
        bool column_is_integer(int index) const;

    private:
        Database& database_;
        sqlite3_stmt* statement_ = nullptr;
    };

    int schema_version();
    // The version a writable database has after open: the number of migrations.
    static int latest_schema_version();

private:
    void migrate();

    sqlite3* handle_ = nullptr;
    std::string path_;
};

}  // namespace barrage::store
