#include "store/transaction.h"

#include "base/assert.h"

namespace barrage::store {

namespace {

Status run(Database& database, std::string_view sql) {
    Database::Statement statement(database, sql);
    auto done = statement.step();
    return done ? Status{} : Status(done.error());
}

}  // namespace

Transaction::~Transaction() {
    // SQLite may have rolled back already after some errors (database.h); ROLLBACK then fails
    // harmlessly, so only ask when a transaction is still open.
    if (open_ && database_.in_transaction()) {
        (void)run(database_, "ROLLBACK");
    }
}

Status Transaction::begin() {
    BARRAGE_ASSERT(!open_);
    auto begun = run(database_, "BEGIN IMMEDIATE");
    open_ = static_cast<bool>(begun);
    return begun;
}

Status Transaction::commit() {
    BARRAGE_ASSERT(open_);
    auto committed = run(database_, "COMMIT");
    if (committed) {
        open_ = false;
    }
    return committed;
}

}  // namespace barrage::store
