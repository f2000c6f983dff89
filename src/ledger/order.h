#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/result.h"
#include "ledger/coins.h"
#include "ledger/leg.h"

namespace barrage::ledger {

// A counter name may hold this marker once; the writer replaces it with the UTC day (yyyymmdd)
// of the batch that commits the order — the day of its journal rows' created_ms — so a per-day
// total lands on the same day as the rows, even for an order built before midnight and
// committed after it.
inline constexpr std::string_view kCommitDay = "{utc_day}";

// The name a bump of `name` changes in an order committed at `commit_ms` (see kCommitDay).
std::string counter_name_at(std::string_view name, Millis commit_ms);

// A named running total bumped in the same transaction as the legs (leaderboards such as
// "board:day:1:{utc_day}:3", gift numbers such as "gift_number:1:3:7"), so it can never
// disagree with the journal.
struct CounterBump {
    std::string name;  // 1..kCounterNameBytesMax bytes of printable ASCII
    Coins delta = 0;   // |delta| <= kCounterDeltaMax
    bool operator==(const CounterBump&) const = default;
};

// An interactive gift's app share, left for the writer to turn into legs when the order commits,
// so the app gets the ratio in force at the commit (the journal rows' created_ms), not at the
// moment the order was built: from the leg `from_leg` (the platform's part, crediting
// platform) the writer moves economy::app_cut(amount, ratio) to app:<app> in a gift_app_share
// leg placed right after it (and drops the platform leg if nothing is left of it), and bumps
// economy's app revenue counters by the same amount. The ratio is not part of the order's
// fingerprint: a retry is answered with the first receipt, whatever the ratio is by then.
struct AppCut {
    std::uint64_t app = 0;     // > 0
    std::size_t from_leg = 0;  // index into Order::legs; that leg must credit platform
    bool operator==(const AppCut&) const = default;
};

// One client request: all its legs and counter bumps apply atomically, or none do.
// Idempotent on (scope, request_id): a retry with the same kind and fingerprint is answered
// with the first receipt and moves nothing; the same id with other content is
// Errc::request_conflict.
struct Order {
    std::string request_id;   // client-chosen, 1..64 of [A-Za-z0-9_-:.]
    UserId scope;             // who asked (0 for system callers such as payment callbacks)
    std::string kind;         // "gift", "top_up", ...; part of the idempotency identity
    std::string fingerprint;  // the caller's canonical string of the request's content
    std::vector<Leg> legs;    // 1..kLegsPerOrderMax, applied in order
    // Metadata stored with every journal row of the order.
    RoomId room;
    std::uint64_t item = 0;     // gift id, guard level, or 0
    std::int64_t count = 0;     // gifts sent, months bought, or 0
    std::uint64_t app = 0;      // open-platform app id, or 0
    std::string memo;           // opaque, <= kMemoBytesMax bytes (e.g. super chat text)
    std::int64_t reverses = 0;  // a refund: the order whose legs it reverses; else 0
    std::vector<CounterBump> counters;
    std::optional<AppCut> app_cut;  // interactive gifts only (see AppCut)
};

// Checks everything about an order that does not need balances: sizes, request id alphabet,
// accounts, codes and amounts, and that an app cut has room for its leg and counters and names
// a platform leg. Errc::bad_request, Errc::bad_amount or Errc::unknown_account.
Status check_order(const Order& order);

// Checks one leg: amount in range (bad_amount), valid distinct accounts (unknown_account,
// bad_request), known code (bad_request). Used before writing a leg and again when verify()
// reads it back.
Status check_leg(const Leg& leg);

bool is_valid_request_id(std::string_view request_id);

}  // namespace barrage::ledger
