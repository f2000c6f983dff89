#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "open/open_code.h"

namespace barrage::open {

// The bodies of the signed game-session API (PROTOCOL.md §1.1), parsed once at the edge.
struct StartRequest {
    std::string code;  // the streamer's identity code
    std::int64_t app_id = 0;
};
struct HeartbeatRequest {
    std::string game_id;
};
struct BatchHeartbeatRequest {
    std::vector<std::string> game_ids;  // at most kBatchHeartbeatIdsMax, no repeats
};
struct EndRequest {
    std::int64_t app_id = 0;
    std::string game_id;
};

inline constexpr std::size_t kBatchHeartbeatIdsMax = 200;

// A refused body: the code a client reads and the message with it.
struct RequestRefusal {
    OpenCode code = OpenCode::bad_parameters;
    std::string message;
};

template <class Request>
using Parsed = std::variant<Request, RequestRefusal>;

// Not JSON, not an object, a required field missing or empty: 4000. `app_id` must be a JSON
// integer: a string (or any other kind) is -400 with the Go decoder's message, as Bilibili
// answers it ("json: cannot unmarshal string into Go struct field StartReq.app_id of type
// int64"). Batch heartbeats: more than 200 ids 7004, a repeated id 7005.
Parsed<StartRequest> parse_start(std::string_view body);
Parsed<HeartbeatRequest> parse_heartbeat(std::string_view body);
Parsed<BatchHeartbeatRequest> parse_batch_heartbeat(std::string_view body);
Parsed<EndRequest> parse_end(std::string_view body);

// The answer every game-session call gets, always with HTTP 200:
// {"code":N,"message":"…","request_id":"…","data":…}; success is code 0 with message "0".
std::string open_answer(OpenCode code, std::string_view message, const boost::json::value& data,
                        std::string_view request_id);

}  // namespace barrage::open
