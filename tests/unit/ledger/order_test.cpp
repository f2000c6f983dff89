#include "ledger/order.h"

#include <gtest/gtest.h>

#include "ledger/limits.h"
#include "ledger_test_support.h"

namespace barrage::ledger {
namespace {

using testing::gift;

Errc code_of(const Status& status) {
    return status ? Errc::ok : static_cast<Errc>(status.error().value());
}

TEST(CheckOrder, AcceptsAWellFormedGift) {
    EXPECT_TRUE(check_order(gift(3, 9, 100, "g-1")));
}

// The cut adds a leg and two counter bumps at commit: there must be room for them, and it must
// come out of a platform leg.
TEST(CheckOrder, AnAppCutNamesAPlatformLegAndLeavesRoomForWhatItAdds) {
    Order order = gift(3, 9, 100, "g-1");
    order.app_cut = AppCut{.app = 5, .from_leg = 1};
    EXPECT_TRUE(check_order(order));
    order.app_cut->app = 0;
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.app_cut = AppCut{.app = 5, .from_leg = 0};  // the streamer's leg
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.app_cut = AppCut{.app = 5, .from_leg = 2};
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.app_cut = AppCut{.app = 5, .from_leg = 1};
    order.counters.resize(kCountersPerOrderMax - 1, {"c", 1});
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.counters.resize(kCountersPerOrderMax - 2);
    EXPECT_TRUE(check_order(order));
    while (order.legs.size() < kLegsPerOrderMax) {
        order.legs.push_back(order.legs[0]);
    }
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
}

TEST(CheckOrder, RequestIdsAreShortAndPlain) {
    EXPECT_TRUE(is_valid_request_id("Ab0_-:."));
    EXPECT_TRUE(is_valid_request_id(std::string(kRequestIdBytesMax, 'a')));
    EXPECT_FALSE(is_valid_request_id(std::string(kRequestIdBytesMax + 1, 'a')));
    EXPECT_FALSE(is_valid_request_id(""));
    for (std::string id : {"a b", "a/b", "a\"b", "a\nb", "\xc3\xa9"}) {
        EXPECT_FALSE(is_valid_request_id(id)) << id;
    }
    EXPECT_EQ(code_of(check_order(gift(3, 9, 100, "a b"))), Errc::bad_request);
}

TEST(CheckOrder, RefusesOversizedFields) {
    auto order = gift(3, 9, 100, "g1");
    order.memo = std::string(kMemoBytesMax + 1, 'm');
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order = gift(3, 9, 100, "g1");
    order.memo = std::string(kMemoBytesMax, 'm');
    EXPECT_TRUE(check_order(order));
    order.fingerprint = std::string(kFingerprintBytesMax + 1, 'f');
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order = gift(3, 9, 100, "g1");
    order.kind = "";
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
}

TEST(CheckOrder, LegCountIsBetweenOneAndTheLimit) {
    auto order = gift(3, 9, 100, "g1");
    order.legs.clear();
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    Leg leg{AccountId::wallet(3), AccountId::platform(), 1, TransferCode::gift};
    order.legs.assign(kLegsPerOrderMax, leg);
    EXPECT_TRUE(check_order(order));
    order.legs.push_back(leg);
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
}

TEST(CheckLeg, AmountsArePositiveAndBounded) {
    Leg leg{AccountId::wallet(3), AccountId::platform(), 1, TransferCode::gift};
    EXPECT_TRUE(check_leg(leg));
    for (Coins amount : {Coins{0}, Coins{-5}, kLegAmountMax + 1, INT64_MIN}) {
        leg.amount = amount;
        EXPECT_EQ(code_of(check_leg(leg)), Errc::bad_amount) << amount;
    }
    leg.amount = kLegAmountMax;
    EXPECT_TRUE(check_leg(leg));
}

TEST(CheckLeg, AccountsAreValidAndDistinctAndTheCodeKnown) {
    Leg leg{AccountId::wallet(3), AccountId::wallet(3), 1, TransferCode::gift};
    EXPECT_EQ(code_of(check_leg(leg)), Errc::bad_request);
    leg.credit = AccountId::wallet(0);
    EXPECT_EQ(code_of(check_leg(leg)), Errc::unknown_account);
    leg.credit = {AccountKind::platform, 4};
    EXPECT_EQ(code_of(check_leg(leg)), Errc::unknown_account);
    leg.credit = AccountId::platform();
    leg.code = static_cast<TransferCode>(14);
    EXPECT_EQ(code_of(check_leg(leg)), Errc::bad_request);
}

TEST(CheckOrder, CounterBumpsAreNamedBoundedAndFew) {
    auto order = gift(3, 9, 100, "g1");
    order.counters.push_back({"", 1});
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.counters.back().name = std::string(kCounterNameBytesMax + 1, 'c');
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.counters.back().name = "caf\xc3\xa9";
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.counters.back().name = "tab\there";
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
    order.counters.back() = {"c", kCounterDeltaMax + 1};
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_amount);
    order.counters.back() = {"c", -kCounterDeltaMax};
    EXPECT_TRUE(check_order(order));
    order.counters.assign(kCountersPerOrderMax + 1, {"c", 1});
    EXPECT_EQ(code_of(check_order(order)), Errc::bad_request);
}

}  // namespace
}  // namespace barrage::ledger
