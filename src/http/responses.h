#pragma once

// The shapes every HTTP handler answers with: {"code":0,"message":"ok","data":...} or
// {"code":N,"message":"..."} with the HTTP status that fits the code (net/http_error.h makes
// every error answer, the listener's own included).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/value.hpp>

#include "http/body.h"
#include "net/listeners.h"

namespace barrage::http {

net::HttpResponse fail(std::error_code error, std::string_view detail = {});
net::HttpResponse fail(const Refusal& refusal);
net::HttpResponse ok(boost::json::value data);
// The same answer around data already spelled as JSON (messages a dialect encoded).
net::HttpResponse ok_spelled(std::string data_json);

// A whole decimal number, or nullopt.
std::optional<std::uint64_t> parse_number(std::string_view text);

}  // namespace barrage::http
