#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include "base/errc.h"

namespace barrage::http {

// Why a request was refused: the code, and what a client needs to fix it (which field, which
// bound). Answered as {"code":N,"message":"<code's message>: <detail>"}.
struct Refusal {
    std::error_code code;
    std::string detail;
};

template <class T>
using Parsed = boost::system::result<T, Refusal>;

// The fields of a JSON object body, parsed once at the edge. Each read checks one field and,
// on the first failure, remembers a Refusal naming it; later reads then do nothing, so a
// parser reads every field in a row and looks at refusal() once at the end.
//
//   Fields fields(body);
//   GiftRequest request{.gift_id = fields.integer("gift_id", {1, kMax, Errc::unknown_gift}), ...};
//   if (auto refused = fields.refusal()) { return *refused; }
class Fields {
public:
    // A whole number's range and the code for a value outside it (or of another kind).
    struct Range {
        std::int64_t min = 0;
        std::int64_t max = INT64_MAX;
        Errc invalid = Errc::bad_request;
    };

    // Parses `body`; anything but a JSON object is refused (Errc::bad_request).
    explicit Fields(std::string_view body);

    // A required whole number in `range`.
    std::int64_t integer(std::string_view key, const Range& range);
    // The same, `fallback` when the field is absent.
    std::int64_t integer_or(std::string_view key, std::int64_t fallback, const Range& range);
    // A required string of at most `bytes_max` bytes.
    std::string text(std::string_view key, std::size_t bytes_max = 4096);
    // A string, or "" when absent.
    std::string text_or_empty(std::string_view key, std::size_t bytes_max = 4096);
    // A boolean, `fallback` when absent.
    bool flag_or(std::string_view key, bool fallback);
    // An array of at most `items_max` positive ids (uids and the like), empty when absent.
    std::vector<std::uint64_t> ids_or_empty(std::string_view key, std::size_t items_max);

    // Refuses the body for a reason of the caller's (a check across fields, say), unless an
    // earlier read refused it already.
    void refuse(Errc code, std::string detail);

    // The first refusal, if any read refused.
    const std::optional<Refusal>& refusal() const { return refusal_; }
    bool has(std::string_view key) const { return object_.contains(key); }

private:
    boost::json::object object_;
    std::optional<Refusal> refusal_;
};

}  // namespace barrage::http
