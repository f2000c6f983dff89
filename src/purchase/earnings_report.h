#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include <boost/json/object.hpp>

#include "base/ids.h"
#include "ledger/coins.h"
#include "ledger/order_record.h"

namespace barrage::purchase {

// The UTC days a report covers, yyyymmdd, both included; absent: from the first, to the last.
struct EarningsRange {
    std::optional<std::int32_t> from_day;
    std::optional<std::int32_t> to_day;
    Millis from_ms() const;  // the first millisecond covered
    Millis to_ms() const;    // the first millisecond after the range
};

// A streamer's earnings as one JSON object (GET /api/v1/earnings, `barrage earnings`), made from
// the ledger's sums (Ledger::earnings) and each room's share of what viewers pay:
//
//   {"uid", "from", "to",                                  (yyyymmdd, or null: unbounded)
//    "days": [{"day": yyyymmdd, SHEET, "rooms": [{"room", "share_per_mille", SHEET}]}],
//    "total": {SHEET, "rooms": [...], "paid_out"},
//    "balance"}                                            (the earnings account now)
//
// SHEET is "gifts", "super_chats", "guards" and "paid_danmaku", each
// {"orders", "gross", "earned", "refunds", "refunded_gross", "refunded_earned", "net"}, and
// "net", the sum of theirs. gross: the coins viewers paid (every leg of the orders); earned: the
// coins credited to the earnings account (the room's share, rounded down); refunds are counted
// on the day they were made; net = earned - refunded_earned. Days and rooms in order; a room the
// server no longer knows has "share_per_mille": null. Exact integers, straight from the journal:
// over all time, total.net - total.paid_out is the balance.
boost::json::object earnings_report(std::uint64_t uid, const EarningsRange& range,
                                    const std::vector<ledger::EarningsRow>& rows,
                                    const std::map<RoomId, std::uint32_t>& shares_per_mille, ledger::Coins balance);

}  // namespace barrage::purchase
