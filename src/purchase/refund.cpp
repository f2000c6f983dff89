#include "purchase/refund.h"

#include <fmt/format.h>

#include "economy/app_revenue.h"
#include "economy/leaderboard.h"
#include "ledger/limits.h"

namespace barrage::purchase {

namespace {

using ledger::TransferCode;

// The purchase's bumps (PurchaseDesk::board_bumps, then a gift's number), negated.
std::vector<ledger::CounterBump> reversed_bumps(const ledger::JournalEntry& first, ledger::PurchaseCodes kind,
                                                ledger::Coins total) {
    if (kind == ledger::kPaidDanmakuCodes) {
        return {};  // paid danmaku count on no board
    }
    const UserId payer{first.leg.debit.owner};
    std::vector<ledger::CounterBump> bumps{
        {economy::day_key(first.room, economy::utc_day(first.created_ms), payer), -total},
        {economy::all_time_key(first.room, payer), -total},
    };
    if (kind == ledger::kGiftCodes) {
        bumps.push_back({economy::gift_number_key(first.room, payer, first.item), -first.count});
    }
    return bumps;
}

// An interactive gift's app revenue and gross, taken back on the refund's own commit day: a
// settled day's bill never changes, and the running total keeps equal to the journal.
void reverse_app_revenue(const std::vector<ledger::JournalEntry>& entries, ledger::Coins total,
                         std::vector<ledger::CounterBump>& bumps) {
    const auto app = entries.front().app;
    if (app == 0) {
        return;
    }
    ledger::Coins to_app = 0;
    for (const auto& entry : entries) {
        if (entry.leg.code == TransferCode::gift_app_share) {
            to_app += entry.leg.amount;
        }
    }
    bumps.push_back({economy::app_gross_commit_day_key(app), -total});
    if (to_app > 0) {
        bumps.push_back({economy::app_revenue_key(app), -to_app});
        bumps.push_back({economy::app_revenue_commit_day_key(app), -to_app});
    }
}

}  // namespace

Result<ledger::Order> make_refund(std::int64_t order_id, const std::vector<ledger::JournalEntry>& entries,
                                  const message::Sender& by, std::string_view reason) {
    if (entries.empty()) {
        return make_error_code(Errc::not_found);
    }
    const auto& first = entries.front();
    const auto kind = ledger::purchase_codes_of(first.leg.code);
    if (!kind) {
        return make_error_code(Errc::not_refundable);
    }
    ledger::Order refund;
    ledger::Coins total = 0;
    for (const auto& entry : entries) {
        if (ledger::purchase_codes_of(entry.leg.code) != kind) {
            return make_error_code(Errc::not_refundable);
        }
        refund.legs.push_back({entry.leg.credit, entry.leg.debit, entry.leg.amount, TransferCode::refund});
        total += entry.leg.amount;
    }
    refund.request_id = fmt::format("refund:{}", order_id);
    refund.scope = UserId{0};
    refund.kind = "refund";
    refund.fingerprint = fmt::format("order={}", order_id);
    refund.room = first.room;
    refund.item = first.item;
    refund.count = first.count;
    refund.app = first.app;
    refund.reverses = order_id;
    refund.counters = reversed_bumps(first, *kind, total);
    if (*kind == ledger::kGiftCodes) {
        reverse_app_revenue(entries, total, refund.counters);
    }
    refund.memo = fmt::format("refund of order {} by uid {} ({}): {}", order_id, by.uid.value, by.name, reason);
    if (refund.memo.size() > ledger::kMemoBytesMax) {
        refund.memo.resize(ledger::kMemoBytesMax);
    }
    return refund;
}

}  // namespace barrage::purchase
