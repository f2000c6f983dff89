#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ledger/journal_entry.h"
#include "ledger/order.h"
#include "message/room_message.h"

namespace barrage::purchase {

// The order that refunds a committed purchase (an operator's decision; money is never edited),
// from the purchase's journal rows:
// - every leg reversed, coded refund, and `reverses` naming the purchase;
// - every counter bump of the purchase undone, in the purchase's order: the day board of the
//   day it committed and the all-time board (gifts, super chats, guards), then a gift's gift
//   number;
// - the purchase's room, item, count and app kept on its rows.
// Its request id is derived from the refunded order (scope 0), so an order is refunded at most
// once however often the operator asks. Errc::not_found when there are no rows,
// Errc::not_refundable when the order is not a purchase (a refund, grant, top-up or payout).
Result<ledger::Order> make_refund(std::int64_t order_id, const std::vector<ledger::JournalEntry>& entries,
                                  const message::Sender& by, std::string_view reason);

}  // namespace barrage::purchase
