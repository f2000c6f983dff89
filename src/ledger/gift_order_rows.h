#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "base/ids.h"
#include "economy/app_share_schedule.h"
#include "ledger/coins.h"
#include "ledger/journal_entry.h"

namespace barrage::ledger {

// What one order's journal rows say about an app's revenue: an interactive gift (rows of gift
// codes with an app) or the refund of one. Built from the rows alone, so settlement and verify
// can recompute what the app should have had and compare it with what was written.
struct AppOrderRows {
    std::int64_t order_id = 0;
    std::uint64_t app = 0;
    RoomId room{};
    Millis created_ms = 0;                  // the commit time: the ratio in force then applies
    std::int64_t reverses = 0;              // a refund: the gift order it reverses; 0 for a gift
    Coins gross = 0;                        // every leg of the order: the gift's price
    Coins streamer = 0;                     // gift legs (wallet -> earnings)
    Coins to_app = 0;                       // gift_app_share legs (for a refund: the refund legs out of app)
    std::int64_t count = 0;                 // gifts sent
    std::vector<std::int64_t> entry_ids{};  // the order's journal ids, in order

    bool is_refund() const { return reverses != 0; }
    // What the app's cut of this gift must be at the ratio in force at created_ms:
    // economy::app_cut(gross − streamer, ratio). Gifts only.
    Coins expected_cut(const economy::AppShareSchedule& shares) const;
};

// Groups journal rows read in id order (an order's rows are consecutive: one writer appends
// them in one go) and hands each complete order that concerns an app to `done`. Rows of other
// orders are skipped. Call finish() after the last row.
class AppOrderFolder {
public:
    explicit AppOrderFolder(std::function<void(const AppOrderRows&)> done) : done_(std::move(done)) {}
    void add(const JournalEntry& entry);
    void finish();

private:
    std::function<void(const AppOrderRows&)> done_;
    std::optional<AppOrderRows> open_;
    bool concerns_app_ = false;
};

// The change a row makes to its app's revenue (the app_revenue:<app> counter): + a
// gift_app_share leg's amount, − a refund leg's amount out of an app account; nullopt for rows
// that do not touch an app's revenue (payouts included).
struct AppRevenueDelta {
    std::uint64_t app = 0;
    Coins delta = 0;
};
std::optional<AppRevenueDelta> app_revenue_delta(const JournalEntry& entry);

}  // namespace barrage::ledger
