#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "economy/app_share_schedule.h"
#include "ledger/coins.h"
#include "ledger/ledger_backend.h"

namespace barrage::ledger {

// One ratio an app's gifts were cut at during the day, and what it applied to.
struct BillRatio {
    std::uint32_t per_mille = 0;
    Millis effective_ms = 0;    // when it came into force (0: never set, the built-in 0)
    bool from_default = false;  // the configured default, not the app's own
    std::int64_t orders = 0;
    std::int64_t gifts = 0;
    Coins gross = 0;
    Coins app_coins = 0;  // written in the journal
};

// One app's bill for one UTC day: the interactive gifts committed that day, and the refunds of
// such gifts committed that day (a refund counts on its own day, so a past day never changes).
struct AppDayBill {
    std::uint64_t app = 0;
    std::int64_t orders = 0;       // gift orders
    std::int64_t gifts = 0;        // gifts sent (an order may send several)
    Coins gross = 0;               // their price
    Coins app_coins = 0;           // the app legs written
    Coins expected_app_coins = 0;  // recomputed from the rows and the schedule
    std::int64_t refunds = 0;
    Coins refunded_gross = 0;
    Coins refunded_app_coins = 0;
    Coins net_app_coins = 0;          // app_coins - refunded_app_coins: what the app is owed for the day
    Coins revenue_counter = 0;        // app_revenue:<app>:<day>, which must equal net_app_coins
    Coins gross_counter = 0;          // app_gross:<app>:<day>, which must equal gross - refunded_gross
    std::vector<BillRatio> ratios{};  // by effective_ms
};

// A difference between the bill and the journal.
struct BillDiscrepancy {
    std::string kind{};  // "app_cut", "revenue_counter" or "gross_counter"
    std::uint64_t app = 0;
    std::int64_t order_id = 0;  // app_cut only
    Coins expected = 0;
    Coins actual = 0;
    std::vector<std::int64_t> entry_ids{};  // the journal rows involved (at most kVerifyListedMax)
};

struct DayBill {
    std::int32_t yyyymmdd = 0;
    Millis from_ms = 0;  // [from_ms, to_ms): the UTC day
    Millis to_ms = 0;
    std::vector<AppDayBill> apps{};  // by app id
    std::vector<BillDiscrepancy> discrepancies{};
    bool ok() const { return discrepancies.empty(); }
};

// Bills every app for the UTC day `yyyymmdd` (is_utc_day must hold) from the journal, on one
// snapshot, and checks the bill to the coin: each gift's app leg against its cut recomputed at
// the ratio in force at its created_ms, and each app's day counters against the bill. Reads
// the whole journal (an offline command, beside the server like `ledger verify`).
Result<DayBill> bill_day(LedgerBackend& backend, const economy::AppShareSchedule& shares, std::int32_t yyyymmdd);

}  // namespace barrage::ledger
