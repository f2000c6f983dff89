// libFuzzer target for the op 7 body (gateway/auth_request.h): hostile bytes as the first
// thing a client sends, before it has proved anything.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - the only error is Errc::bad_request;
//   - an accepted body names a positive room, a protover in 0..3 and a known dialect, and has
//     the open_platform dialect exactly when it is a game's ("group":"open");
//   - the same bytes parse the same way twice;
//   - an accepted request, written back as canonical JSON, parses to the same request.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "base/assert.h"
#include "gateway/auth_request.h"

namespace {

using barrage::Errc;
using barrage::Result;
using barrage::gateway::AuthRequest;

bool same_request(const AuthRequest& left, const AuthRequest& right) {
    return left.room == right.room && left.key == right.key && left.protover == right.protover &&
           left.dialect == right.dialect && left.last_sequence == right.last_sequence &&
           left.open_game == right.open_game;
}

bool same_result(const Result<AuthRequest>& left, const Result<AuthRequest>& right) {
    if (left.has_value() != right.has_value()) {
        return false;
    }
    return left ? same_request(*left, *right) : left.error() == right.error();
}

// The body a well-behaved client would send for `request`.
std::string canonical_body(const AuthRequest& request) {
    boost::json::object body{{"roomid", request.room.value},
                             {"key", request.key},
                             {"protover", request.protover},
                             {"dialect", barrage::message::to_string(request.dialect)}};
    if (request.last_sequence) {
        body["last_seq"] = *request.last_sequence;
    }
    if (request.open_game) {
        body["group"] = "open";
    }
    return boost::json::serialize(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const Result<AuthRequest> first = barrage::gateway::parse_auth_request(body);
    BARRAGE_ASSERT(same_result(first, barrage::gateway::parse_auth_request(body)));
    if (!first) {
        BARRAGE_ASSERT(first.error() == Errc::bad_request);
        return 0;
    }
    BARRAGE_ASSERT(first->room.value > 0);
    BARRAGE_ASSERT(first->protover >= 0 && first->protover <= 3);
    BARRAGE_ASSERT(barrage::message::to_string(first->dialect) != "unknown");
    BARRAGE_ASSERT(first->open_game == (first->dialect == barrage::message::Dialect::open_platform));

    const Result<AuthRequest> again = barrage::gateway::parse_auth_request(canonical_body(*first));
    BARRAGE_ASSERT(again && same_request(*first, *again));
    return 0;
}
