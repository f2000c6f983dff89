// libFuzzer target for the bodies of the open platform's game-session API
// (open/app_requests.h): hostile bytes as a start, heartbeat, batch heartbeat and end body.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
// - each parser answers the same input the same way;
// - what is accepted is what the rules say: a non-empty code and game ids, an app_id above 0,
//   at most 200 distinct batch ids;
// - a refusal carries one of the codes the rules name, with a message.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include "base/assert.h"
#include "open/app_requests.h"

namespace {

using barrage::open::OpenCode;
using barrage::open::RequestRefusal;

void check_refusal(const RequestRefusal& refusal) {
    BARRAGE_ASSERT(refusal.code == OpenCode::bad_parameters || refusal.code == OpenCode::json_decode_error ||
                   refusal.code == OpenCode::batch_too_large || refusal.code == OpenCode::batch_duplicate_id);
    BARRAGE_ASSERT(!refusal.message.empty());
}

template <class Request>
bool same(const barrage::open::Parsed<Request>& a, const barrage::open::Parsed<Request>& b) {
    if (a.index() != b.index()) {
        return false;
    }
    if (const auto* refused = std::get_if<RequestRefusal>(&a)) {
        const auto& other = std::get<RequestRefusal>(b);
        return refused->code == other.code && refused->message == other.message;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    using namespace barrage::open;

    const auto start = parse_start(body);
    BARRAGE_ASSERT(same(start, parse_start(body)));
    if (const auto* request = std::get_if<StartRequest>(&start)) {
        BARRAGE_ASSERT(!request->code.empty() && request->app_id > 0);
    } else {
        check_refusal(std::get<RequestRefusal>(start));
    }

    const auto heartbeat = parse_heartbeat(body);
    BARRAGE_ASSERT(same(heartbeat, parse_heartbeat(body)));
    if (const auto* request = std::get_if<HeartbeatRequest>(&heartbeat)) {
        BARRAGE_ASSERT(!request->game_id.empty());
    } else {
        check_refusal(std::get<RequestRefusal>(heartbeat));
    }

    const auto batch = parse_batch_heartbeat(body);
    BARRAGE_ASSERT(same(batch, parse_batch_heartbeat(body)));
    if (const auto* request = std::get_if<BatchHeartbeatRequest>(&batch)) {
        BARRAGE_ASSERT(request->game_ids.size() <= kBatchHeartbeatIdsMax);
        const std::set<std::string_view> distinct(request->game_ids.begin(), request->game_ids.end());
        BARRAGE_ASSERT(distinct.size() == request->game_ids.size());
    } else {
        check_refusal(std::get<RequestRefusal>(batch));
    }

    const auto end = parse_end(body);
    BARRAGE_ASSERT(same(end, parse_end(body)));
    if (const auto* request = std::get_if<EndRequest>(&end)) {
        BARRAGE_ASSERT(!request->game_id.empty() && request->app_id > 0);
    } else {
        check_refusal(std::get<RequestRefusal>(end));
    }
    return 0;
}
