#include "payments/callback.h"

#include <gtest/gtest.h>

namespace barrage::payments {
namespace {

constexpr std::string_view kBody = R"({"order_id":"o-1","uid":3,"coins":1000,"status":"paid"})";
// Made independently with Python: hmac.new(b"provider-secret", b"1700000000." + body, sha256).
constexpr std::string_view kPythonSignature = "dcb9fed2dd0d604bd72d48d0586e5c4290c02c8ecd61cdb21d0f9b03ea07b755";

CallbackRules rules() {
    return {"provider-secret", 300, 100'000'000};
}

TEST(PaymentCallback, SignatureMatchesAnIndependentImplementation) {
    EXPECT_EQ(sign_callback("provider-secret", "1700000000", kBody), kPythonSignature);
}

TEST(PaymentCallback, AcceptsASignedCallbackInsideTheWindow) {
    FakeClock clock(1'700'000'100'000);
    auto callback = verify_callback(rules(), "1700000000", kPythonSignature, kBody, clock);
    ASSERT_TRUE(callback) << callback.error().message();
    EXPECT_EQ(callback->order_id, "o-1");
    EXPECT_EQ(callback->uid, UserId{3});
    EXPECT_EQ(callback->coins, 1000);
}

TEST(PaymentCallback, RefusesAForgedOrTamperedCallback) {
    FakeClock clock(1'700'000'000'000);
    std::string forged(kPythonSignature);
    forged[0] = forged[0] == 'd' ? 'e' : 'd';
    EXPECT_EQ(verify_callback(rules(), "1700000000", forged, kBody, clock).error(), Errc::bad_payment_signature);
    std::string tampered(kBody);
    tampered.replace(tampered.find("1000"), 4, "9000");
    EXPECT_EQ(verify_callback(rules(), "1700000000", kPythonSignature, tampered, clock).error(),
              Errc::bad_payment_signature);
    EXPECT_EQ(verify_callback(rules(), "1700000001", kPythonSignature, kBody, clock).error(),
              Errc::bad_payment_signature);
    EXPECT_EQ(verify_callback(rules(), "1700000000", "", kBody, clock).error(), Errc::bad_payment_signature);
}

TEST(PaymentCallback, RefusesACallbackOutsideTheWindowAsReplay) {
    FakeClock late(1'700'000'301'000);
    EXPECT_EQ(verify_callback(rules(), "1700000000", kPythonSignature, kBody, late).error(), Errc::payment_replayed);
    FakeClock edge(1'700'000'300'000);
    EXPECT_TRUE(verify_callback(rules(), "1700000000", kPythonSignature, kBody, edge));
    FakeClock early(1'699'999'699'000);
    EXPECT_EQ(verify_callback(rules(), "1700000000", kPythonSignature, kBody, early).error(), Errc::payment_replayed);
}

TEST(PaymentCallback, RefusesBadBodiesEvenWhenSigned) {
    FakeClock clock(1'700'000'000'000);
    auto check = [&](std::string_view body, Errc expected) {
        auto signature = sign_callback("provider-secret", "1700000000", body);
        auto result = verify_callback(rules(), "1700000000", signature, body, clock);
        ASSERT_FALSE(result) << body;
        EXPECT_EQ(result.error(), expected) << body;
    };
    check("not json", Errc::bad_request);
    check(R"({"order_id":"o-1","uid":3,"coins":1000,"status":"refunded"})", Errc::bad_request);
    check(R"({"order_id":"","uid":3,"coins":1000,"status":"paid"})", Errc::bad_request);
    check(R"({"order_id":"o-1","uid":0,"coins":1000,"status":"paid"})", Errc::bad_request);
    check(R"({"order_id":"o-1","uid":3,"coins":10.5,"status":"paid"})", Errc::bad_request);
    check(R"({"order_id":"o-1","uid":3,"coins":0,"status":"paid"})", Errc::bad_amount);
    check(R"({"order_id":"o-1","uid":3,"coins":100000001,"status":"paid"})", Errc::bad_amount);
}

TEST(PaymentCallback, AnEmptySecretVerifiesNothing) {
    FakeClock clock(1'700'000'000'000);
    CallbackRules no_secret = rules();
    no_secret.secret.clear();
    auto signature = sign_callback("", "1700000000", kBody);
    EXPECT_EQ(verify_callback(no_secret, "1700000000", signature, kBody, clock).error(), Errc::bad_payment_signature);
}

}  // namespace
}  // namespace barrage::payments
