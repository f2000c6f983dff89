#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"
#include "ledger/leg.h"

namespace barrage::ledger {

// One journal row: one leg of one committed order, with the order's metadata. Rows are never
// updated or deleted; balances are their running sum.
struct JournalEntry {
    std::int64_t id = 0;         // row id, increasing; 0 before it is written
    std::int64_t order_id = 0;   // Receipt::order_id of the order
    std::int32_t leg_index = 0;  // position of the leg in its order, from 0
    Leg leg;
    RoomId room;
    std::uint64_t item = 0;
    std::int64_t count = 0;
    std::uint64_t app = 0;
    std::string memo;
    Millis created_ms = 0;
    std::int64_t reverses = 0;  // the order this row's order reverses (a refund), or 0
    bool operator==(const JournalEntry&) const = default;
};

}  // namespace barrage::ledger
