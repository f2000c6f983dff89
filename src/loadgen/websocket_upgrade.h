#pragma once

// The client side of the WebSocket upgrade (RFC 6455 §4) that a load generator needs; the
// frames after it are wire/websocket_frame.h's. No extension is offered.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace barrage::loadgen {

// GET <path> with the upgrade headers; the key is fixed, as the server only echoes its hash.
std::string make_upgrade_request(std::string_view host, std::string_view path);

// Looks for the end of the response head. nullopt while incomplete; the head's length when
// it is a 101; Errc::bad_request when the server answered anything else.
Result<std::optional<std::size_t>> parse_upgrade_response(std::string_view bytes);

}  // namespace barrage::loadgen
