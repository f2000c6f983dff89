#include "payments/order_id.h"

#include <gtest/gtest.h>

namespace barrage::payments {
namespace {

constexpr std::string_view kKey = "order-key";

TEST(OrderId, AnIssuedIdChecksForItsUserAndAmountAndNamesItsNonce) {
    const std::string id = issue_order_id(kKey, UserId{42}, 1000);
    EXPECT_TRUE(id.starts_with("42.1000."));
    const auto nonce = check_order_id(kKey, id, UserId{42}, 1000);
    ASSERT_TRUE(nonce) << nonce.error().message();
    EXPECT_EQ(nonce->size(), 16U);
    EXPECT_NE(id.find("." + *nonce + "."), std::string::npos);
    EXPECT_NE(issue_order_id(kKey, UserId{42}, 1000), id);  // a fresh nonce each time
}

TEST(OrderId, RefusesAnotherUserAmountKeyOrATamperedId) {
    const std::string id = issue_order_id(kKey, UserId{42}, 1000);
    const auto unknown = make_error_code(Errc::unknown_order);
    EXPECT_EQ(check_order_id(kKey, id, UserId{43}, 1000).error(), unknown);
    EXPECT_EQ(check_order_id(kKey, id, UserId{42}, 1001).error(), unknown);
    EXPECT_EQ(check_order_id("other-key", id, UserId{42}, 1000).error(), unknown);
    std::string tampered = id;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    EXPECT_EQ(check_order_id(kKey, tampered, UserId{42}, 1000).error(), unknown);
    // An id for uid 4 must not pass as one for uid 42 by sharing its prefix.
    const std::string other = issue_order_id(kKey, UserId{4}, 21000);
    EXPECT_EQ(check_order_id(kKey, other, UserId{42}, 1000).error(), unknown);
    EXPECT_EQ(check_order_id(kKey, "42.1000.", UserId{42}, 1000).error(), unknown);
    EXPECT_EQ(check_order_id(kKey, "", UserId{42}, 1000).error(), unknown);
}

}  // namespace
}  // namespace barrage::payments
