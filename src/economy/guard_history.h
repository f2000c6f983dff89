#pragma once

// One member's guard purchases in one room, kept so that the membership can be worked out again
// when a purchase is refunded.

#include <cstdint>
#include <optional>
#include <vector>

#include "base/ids.h"
#include "economy/guard.h"

namespace barrage::economy {

// How much later than its successor a committed purchase may reach the room's home loop (a
// few milliseconds in practice; an hour is far beyond any queue).
inline constexpr Millis kGuardLateArrivalMs = 3600LL * 1000;

// The purchases that still shape one member's membership: those since it last lapsed, in order
// id order. The membership is their fold with extend(), so the same purchases give the same
// expiry whether they arrive live (in any order), come back from the journal at start-up, or
// lose one to a refund. Adding an order twice changes nothing, so a replayed purchase never
// extends a membership again.
//
// Purchases before a lapse of at least kGuardLateArrivalMs are forgotten: the months bought
// after a lapse start from their own purchase time, so nothing earlier can move them (and
// removing one cannot either). An order at or below the newest forgotten one is ignored for the
// same reason. The margin is for live purchases that reach the room out of order: one committed
// just before a lapse ended could otherwise arrive after its successor had forgotten the run
// it belongs to.
//
// A value type; the purchase desk keeps one per member on the room's home loop.
class GuardHistory {
public:
    struct Purchase {
        std::int64_t order_id = 0;  // the ledger order that paid for it
        std::uint8_t level = 0;     // 1..3
        std::uint32_t months = 0;   // 1..kGuardMonthsMax
        Millis bought_ms = 0;       // commit time (wall clock)
        bool operator==(const Purchase&) const = default;
    };

    // Adds a purchase; false (and nothing changes) when it is here already, forgotten or
    // refunded.
    // Errc::bad_request or Errc::bad_count when extend() refuses it (nothing changes either).
    Result<bool> add(const Purchase& purchase);
    // Takes a refunded purchase out for good (adding it again changes nothing); false when it
    // was not here.
    bool remove(std::int64_t order_id);

    // The membership the purchases give, nullopt when there are none.
    std::optional<GuardMembership> membership() const { return membership_; }
    const std::vector<Purchase>& purchases() const { return purchases_; }

private:
    // Folds purchases_ again and forgets those before the last lapse.
    void refold();

    std::vector<Purchase> purchases_;  // order id order
    std::optional<GuardMembership> membership_;
    std::int64_t forgotten_through_ = 0;  // the newest order id forgotten, 0 when none
    std::vector<std::int64_t> refunded_;  // orders taken out (a member's refunds: few)
};

}  // namespace barrage::economy
