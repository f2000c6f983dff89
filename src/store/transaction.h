#pragma once

#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// BEGIN IMMEDIATE ... COMMIT on one connection, for writes that stand or fall together (an
// app's change and its audit row). Immediate, so another writer (the CLI beside a running
// server) waits at begin() instead of failing half-way. Rolled back when destroyed uncommitted.
// Blocking; the Database's owner thread only.
class Transaction {
public:
    explicit Transaction(Database& database) : database_(database) {}
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Errc::internal (logged by the Database) when the database stays busy past its timeout or
    // fails.
    Status begin();
    Status commit();

private:
    Database& database_;
    bool open_ = false;
};

}  // namespace barrage::store
