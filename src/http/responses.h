#pragma once

// The shapes every HTTP handler answers with: {"code":0,"message":"ok","data":...} or
// {"code":N,"message":"..."} with the HTTP status that fits the code.

#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

#include <boost/json/value.hpp>

#include "net/listeners.h"

namespace barrage::http {

unsigned status_for(std::error_code error);
net::HttpResponse fail(std::error_code error);
net::HttpResponse ok(boost::json::value data);

// The token of "Authorization: Bearer <token>", or "".
std::string_view bearer_token(std::string_view authorization);
// A whole decimal number, or nullopt.
std::optional<std::uint64_t> parse_number(std::string_view text);

}  // namespace barrage::http
