#pragma once

#include <cstdint>
#include <vector>

#include "base/ids.h"
#include "ledger/coins.h"
#include "ledger/journal_entry.h"

namespace barrage::ledger {

// One committed order as the journal holds it, and whether it was reversed since.
struct OrderRecord {
    std::vector<JournalEntry> entries;  // its legs, in leg order; empty: no such order
    std::int64_t reversed_by = 0;       // the order that reverses it (a refund), or 0
};

// One purchase (its host and platform legs), for rebuilding what it bought at start-up.
struct OrderSummary {
    std::int64_t order_id = 0;
    RoomId room;
    UserId payer;             // whose wallet paid: the debit owner of its legs
    std::uint64_t item = 0;   // the order's item (gift id, guard level)
    std::int64_t count = 0;   // the order's count (gifts, months)
    Coins amount = 0;         // every leg of the purchase: what the payer paid
    Millis created_ms = 0;    // commit time
    bool operator==(const OrderSummary&) const = default;
};

}  // namespace barrage::ledger
