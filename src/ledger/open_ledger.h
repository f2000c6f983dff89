#pragma once

#include <memory>

#include "base/clock.h"
#include "base/result.h"
#include "ledger/ledger.h"
#include "ledger/sqlite_ledger_backend.h"

namespace barrage::ledger {

// A Ledger on an SQLite file: a writer connection (migrating the file) and a read-only reader
// connection. Errc::ledger_unavailable when the file cannot be opened (logged). Start-up use.
Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const SqliteLedgerBackend::Options& storage, const Clock& clock,
                                                   const Ledger::Options& options);

}  // namespace barrage::ledger
