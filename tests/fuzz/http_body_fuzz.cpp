// libFuzzer target for every JSON body the HTTP API accepts (http/requests.h): one input is fed
// to each parser, as any route may receive any bytes.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - a refusal carries one of the codes the parser documents, and a detail a client can read;
//   - an accepted request's values are within the ranges the parser promises (ids above 0,
//     counts and prices in range, reasons not empty, app names and descriptions plain text
//     within their bounds);
//   - the same bytes parse the same way twice.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include "base/assert.h"
#include "base/utf8.h"
#include "economy/gift_catalogue.h"
#include "economy/super_chat_tiers.h"
#include "http/requests.h"

namespace {

using barrage::Errc;
using namespace barrage::http;

constexpr std::int64_t kCoinsMax = 1'000'000;

template <class T>
void check_refusal(const Parsed<T>& parsed, std::set<Errc> allowed) {
    if (parsed) {
        return;
    }
    const auto& refusal = parsed.error();
    BARRAGE_ASSERT(refusal.code.category() == barrage::barrage_category());
    BARRAGE_ASSERT(allowed.contains(static_cast<Errc>(refusal.code.value())));
    BARRAGE_ASSERT(!refusal.detail.empty());
}

template <class T>
void check_same_twice(const Parsed<T>& first, const Parsed<T>& second) {
    BARRAGE_ASSERT(first.has_value() == second.has_value());
    if (!first) {
        BARRAGE_ASSERT(first.error().code == second.error().code && first.error().detail == second.error().detail);
    }
}

void gift(std::string_view body) {
    auto parsed = parse_gift_request(body);
    check_refusal(parsed, {Errc::bad_request, Errc::unknown_gift, Errc::bad_count});
    check_same_twice(parsed, parse_gift_request(body));
    if (parsed) {
        BARRAGE_ASSERT(parsed->gift_id > 0 && parsed->gift_id <= INT64_MAX);
    }
}

void super_chat(std::string_view body) {
    auto parsed = parse_super_chat_request(body);
    check_refusal(parsed, {Errc::bad_request});
    if (parsed) {
        BARRAGE_ASSERT(parsed->price_yuan >= 0 && parsed->price_yuan <= barrage::economy::kSuperChatYuanMax);
    }
}

void guard(std::string_view body) {
    auto parsed = parse_guard_request(body);
    check_refusal(parsed, {Errc::bad_request, Errc::bad_count});
}

void grant(std::string_view body) {
    auto parsed = parse_grant_request(body, kCoinsMax);
    check_refusal(parsed, {Errc::bad_request, Errc::bad_amount});
    if (parsed) {
        BARRAGE_ASSERT(parsed->uid.value > 0 && parsed->coins > 0 && parsed->coins <= kCoinsMax);
        BARRAGE_ASSERT(!parsed->reason.empty());
    }
}

void refund(std::string_view body) {
    auto parsed = parse_refund_request(body);
    check_refusal(parsed, {Errc::bad_request, Errc::not_found});
    if (parsed) {
        BARRAGE_ASSERT(parsed->order_id > 0 && !parsed->reason.empty());
    }
}

void payment_order(std::string_view body) {
    auto parsed = parse_payment_order_request(body, kCoinsMax);
    check_refusal(parsed, {Errc::bad_request, Errc::bad_amount});
    if (parsed) {
        BARRAGE_ASSERT(parsed->coins > 0 && parsed->coins <= kCoinsMax);
    }
}

void room(std::string_view body) {
    auto parsed = parse_room_request(body);
    check_refusal(parsed, {Errc::bad_request});
    if (parsed) {
        BARRAGE_ASSERT(parsed->id.value > 0 && parsed->managers.size() <= 1000);
        for (auto manager : parsed->managers) {
            BARRAGE_ASSERT(manager.value > 0);
        }
    }
}

void gift_spec(std::string_view body) {
    auto parsed = parse_gift_spec(body);
    check_refusal(parsed, {Errc::bad_request, Errc::bad_amount});
    if (parsed) {
        BARRAGE_ASSERT(parsed->id > 0 && parsed->price > 0 && parsed->price <= barrage::economy::kGiftPriceMax);
    }
}

// Plain text within its bound: counted in code points, no control characters but line breaks
// where allowed.
bool plain_text(std::string_view text, std::size_t code_points_max, bool line_breaks) {
    const auto code_points = barrage::utf8_code_points(text);
    if (!code_points || *code_points > code_points_max) {
        return false;
    }
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 || byte == 0x7F) && !(line_breaks && (c == '\n' || c == '\r'))) {
            return false;
        }
    }
    return true;
}

void app(std::string_view body) {
    auto parsed = parse_app_request(body);
    check_refusal(parsed, {Errc::bad_request, Errc::bad_app_name, Errc::bad_app_description});
    check_same_twice(parsed, parse_app_request(body));
    if (parsed) {
        BARRAGE_ASSERT(!parsed->name.empty() && plain_text(parsed->name, kAppNameCodePointsMax, false));
        BARRAGE_ASSERT(plain_text(parsed->description, kAppDescriptionCodePointsMax, true));
    }
}

void review(std::string_view body) {
    auto parsed = parse_review_request(body);
    check_refusal(parsed, {Errc::bad_request});
    if (parsed) {
        BARRAGE_ASSERT(parsed->approve || !parsed->reason.empty());
        BARRAGE_ASSERT(plain_text(parsed->reason, kOpenReasonCodePointsMax, false));
    }
}

void developer_reason(std::string_view body) {
    auto parsed = parse_developer_reason(body);
    check_refusal(parsed, {Errc::bad_request});
    if (parsed) {
        BARRAGE_ASSERT(plain_text(*parsed, kOpenReasonCodePointsMax, false));
    }
}

void app_share(std::string_view body) {
    auto parsed = parse_app_share_body(body);
    check_refusal(parsed, {Errc::bad_request});
    if (parsed) {
        BARRAGE_ASSERT(parsed->per_mille <= 1000);
        BARRAGE_ASSERT(parsed->effective_ms >= 1 && parsed->effective_ms <= (std::int64_t{1} << 53));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    gift(body);
    super_chat(body);
    guard(body);
    grant(body);
    refund(body);
    payment_order(body);
    room(body);
    gift_spec(body);
    app(body);
    review(body);
    developer_reason(body);
    app_share(body);
    return 0;
}
