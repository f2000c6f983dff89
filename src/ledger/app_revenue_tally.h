#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "base/result.h"
#include "ledger/coins.h"
#include "ledger/ledger_backend.h"

namespace barrage::ledger {

// Each app's revenue by the journal, kept up to date a bounded slice at a time, and compared
// with the ledger's running totals (app_revenue:<app>) for /metrics. Unlike verify_ledger() it
// never rereads the journal: each advance() reads at most `rows_max` rows past where the last
// one stopped, so its cost is bounded however large the journal grows; the comparison is made
// only once it has caught up with the snapshot it reads (the counters then describe exactly
// the rows it has seen).
//
// Thread rule: owner thread only (the store pool); the backend is the caller's to lock.
class AppRevenueTally {
public:
    struct App {
        std::uint64_t app = 0;
        Coins journal = 0;  // by the journal, up to the cursor
        Coins counter = 0;  // the running total, on the snapshot that caught up
        bool operator==(const App&) const = default;
    };
    struct Report {
        bool caught_up = false;       // false: the journal has more rows; apps hold the last result
        std::int64_t cursor = 0;      // the last journal id read
        std::vector<App> apps{};      // by app id
        std::int64_t mismatches = 0;  // apps whose counter differs from the journal
    };

    // Reads up to rows_max rows after the cursor and, if that reached the end, the counters, all
    // on one snapshot. Errors: the backend's.
    Result<Report> advance(LedgerBackend& reader, std::size_t rows_max);

private:
    std::int64_t cursor_ = 0;
    std::map<std::uint64_t, Coins> journal_;
    Report last_;
};

}  // namespace barrage::ledger
