#include "http/payment_api.h"

#include <array>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "base/log.h"
#include "http/requests.h"
#include "http/responses.h"
#include "purchase/ledger_call.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;
using ledger::AccountId;

namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < size; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 15];
    }
    return out;
}

std::string order_mac(std::string_view key, std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), digest.data(), &length);
    return hex(digest.data(), 8);  // 64 bits: unforgeable enough for an order id, short to carry
}

}  // namespace

PaymentApi::PaymentApi(gateway::Services& services, ledger::Ledger& ledger, Options options)
    : services_(services), ledger_(ledger), options_(std::move(options)) {}

std::vector<Route> PaymentApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"POST", "/api/v1/payments/orders", Access::user, bind(&PaymentApi::payment_order)},
        {"POST", "/api/v1/payments/callback", Access::anyone, bind(&PaymentApi::payment_callback)},
    };
}

std::string PaymentApi::issue_order_id(UserId uid, std::int64_t coins) const {
    std::array<unsigned char, 8> nonce{};
    RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
    auto text = fmt::format("{}.{}.{}", uid.value, coins, hex(nonce.data(), nonce.size()));
    return text + "." + order_mac(options_.order_key, text);
}

asio::awaitable<net::HttpResponse> PaymentApi::payment_order(const Call& call) {
    const auto& user = call.who();
    if (user.uid.value == 0 || user.role == message::Role::anonymous) {
        co_return fail(make_error_code(Errc::anonymous_read_only));  // no wallet to credit
    }
    auto request = parse_payment_order_request(call.request.body, options_.payments.coins_max);
    if (!request) {
        co_return fail(request.error());
    }
    co_return ok(json::object{{"order_id", issue_order_id(user.uid, request->coins)},
                              {"uid", user.uid.value},
                              {"coins", request->coins}});
}

asio::awaitable<net::HttpResponse> PaymentApi::payment_callback(const Call& call) {
    const auto& request = call.request;
    auto callback = payments::verify_callback(options_.payments, request.header("x-payment-timestamp"),
                                              request.header("x-payment-signature"), request.body,
                                              services_.clock);
    if (!callback) {
        log::warn("payment callback refused: {}", callback.error().message());
        co_return fail(callback.error());
    }
    // The order id must be one we issued, for this user and amount: uid.coins.nonce.mac.
    auto expected_prefix = fmt::format("{}.{}.", callback->uid.value, callback->coins);
    const auto& order_id = callback->order_id;
    auto last_dot = order_id.rfind('.');
    if (order_id.rfind(expected_prefix, 0) != 0 || last_dot == std::string::npos ||
        last_dot <= expected_prefix.size()) {
        co_return fail(make_error_code(Errc::unknown_order));
    }
    auto signed_part = order_id.substr(0, last_dot);
    auto mac = order_mac(options_.order_key, signed_part);
    auto given = std::string_view(order_id).substr(last_dot + 1);
    if (given.size() != mac.size() || CRYPTO_memcmp(given.data(), mac.data(), mac.size()) != 0) {
        co_return fail(make_error_code(Errc::unknown_order));
    }
    ledger::Order top_up;
    top_up.request_id = "pay:" + order_id.substr(expected_prefix.size(), last_dot - expected_prefix.size());
    top_up.scope = UserId{0};
    top_up.kind = "top_up";
    top_up.fingerprint = order_id;
    top_up.legs = {{AccountId::external(), AccountId::wallet(callback->uid.value), callback->coins,
                    ledger::TransferCode::top_up}};
    top_up.memo = order_id;
    auto submitting = purchase::submit(ledger_, std::move(top_up));
    auto receipt = co_await std::move(submitting);
    if (!receipt) {
        co_return fail(receipt.error());
    }
    // A redelivered callback credits nothing more and is answered as the first was, so the
    // provider stops retrying.
    const auto* wallet = receipt->find(AccountId::wallet(callback->uid.value));
    log::info("payment {}: {} coins to uid {}{}", order_id, callback->coins, callback->uid.value,
              receipt->replayed ? " (redelivery, nothing credited)" : "");
    co_return ok(json::object{{"order_id", order_id},
                              {"ledger_order_id", receipt->order_id},
                              {"duplicate", receipt->replayed},
                              {"balance", wallet ? wallet->balance : 0}});
}

}  // namespace barrage::http
