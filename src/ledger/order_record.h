#pragma once

#include <cstdint>
#include <vector>

#include "base/ids.h"
#include "ledger/coins.h"
#include "ledger/journal_entry.h"
#include "ledger/transfer_code.h"

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
    UserId payer;            // whose wallet paid: the debit owner of its legs
    std::uint64_t item = 0;  // the order's item (gift id, guard level)
    std::int64_t count = 0;  // the order's count (gifts, months)
    Coins amount = 0;        // every leg of the purchase: what the payer paid
    Millis created_ms = 0;   // commit time
    bool operator==(const OrderSummary&) const = default;
};

// What one streamer's earnings account took in (or gave back) of one kind, in one room, on one
// UTC day: a group of journal rows, summed by the ledger (LedgerBackend::earnings).
struct EarningsRow {
    std::int64_t day = 0;  // UTC days since 1970-01-01 of the rows' created_ms
    RoomId room;           // the purchase's room (0 for payouts)
    // The purchase's host-share code (gift, super_chat, guard, paid_danmaku), or payout.
    TransferCode code = TransferCode::gift;
    bool refund = false;      // refunds of such purchases (the legs taking the share back)
    std::int64_t orders = 0;  // orders in the group
    Coins earned = 0;         // into the earnings account (out of it, for refunds and payouts)
    Coins gross = 0;          // every leg of those orders: what viewers paid (or got back)
    bool operator==(const EarningsRow&) const = default;
};

}  // namespace barrage::ledger
