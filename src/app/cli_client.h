#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace barrage::app {

// A blocking client over the raw TCP port, for `barrage send` and `barrage watch`.
struct ClientOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 2243;
    std::uint64_t room = 1;
    std::string token;  // empty = anonymous
    std::string dialect = "native";
    int protover = 0;
    std::int64_t last_seq = -1;  // >= 0: resume after this sequence
};

// Connects, authenticates and sends one op 4 with `body`; returns the op 1000 reply body, or
// the op 8 body when the server refused the auth.
Result<std::string> send_once(const ClientOptions& options, const std::string& body);

// POSTs `body` as JSON to http://host:port/path with a bearer token; returns the response body
// (any HTTP status) or the transport's error.
Result<std::string> http_post(const std::string& host, std::uint16_t port, const std::string& path,
                              const std::string& token, const std::string& body);

// The same with another method ("DELETE", "PUT", ...).
Result<std::string> http_call(const std::string& host, std::uint16_t port, std::string_view method,
                              const std::string& path, const std::string& token, const std::string& body);

// Whether a server's JSON answer (an op 4 reply, an HTTP API body) says success: its "code"
// member is 0. Judged on the parsed answer, never by searching its text.
bool reply_succeeded(std::string_view reply);

// Connects, authenticates, then calls `on_message` with each pushed JSON body until the
// connection ends or `on_message` returns false. Sends a heartbeat every 30 s.
Status watch(const ClientOptions& options, const std::function<bool(const std::string&)>& on_message);

}  // namespace barrage::app
