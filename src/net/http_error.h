#pragma once

// The one place an HTTP error answer is made, for the listener's own refusals (413, 414, 431,
// a bad upgrade) and every API handler (http::fail forwards here): the body is
// {"code":N,"message":"..."} with N from base/errc.h and the status that fits the code.

#include <string>
#include <string_view>
#include <system_error>

#include "net/listeners.h"

namespace barrage::net {

// The HTTP status for an error: ours by code (docs/protocol.md), anything else 500.
unsigned http_status_for(std::error_code error);

// {"code":N,"message":"..."}; a non-empty `detail` is added to the message after ": " (say
// which field or bound was wrong). Codes outside our category are 5000 (internal).
std::string error_body(std::error_code error, std::string_view detail = {});

HttpResponse error_response(std::error_code error, std::string_view detail = {});

}  // namespace barrage::net
