#pragma once

// What the sandbox proxy changes in a request on its way to the upstream and in an answer on
// its way back: as little as HTTP allows. Pure functions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/listeners.h"
#include "sandbox/upstream.h"

namespace barrage::sandbox {

// True for the headers that belong to one connection rather than to the message (RFC 9110
// §7.6.1): Connection, Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization,
// TE, Trailer, Transfer-Encoding, Upgrade. `name` in any case.
bool is_hop_by_hop(std::string_view name);

// The request the upstream gets for one the app sent (target in origin form, "/..."): the same
// method; the upstream's base path, then the target with its query as sent; every header but
// the hop-by-hop ones, those the app's Connection header names, Host (the upstream's instead),
// Content-Length (made again from the same bytes) and Expect (the body is already here); the
// body byte for byte. The signed x-bili-* headers, Authorization, Content-Type and Accept go
// with their values untouched (names arrive lower-cased from the listener; HTTP names are
// case-insensitive, and the signature is made over lower-case names).
// Takes the app's request by value: its body is moved, never copied.
net::HttpRequest upstream_request(net::HttpRequest from_app, const Upstream& upstream);

// The answer the app gets for one the upstream gave: status, Content-Type and body unchanged,
// every header but the hop-by-hop ones, and nothing added (relayed).
net::HttpResponse app_answer(net::HttpResponse from_upstream);

// Answers longer than this are not parsed for a code: open-platform answers are under 4 KiB,
// and parsing a large answer into a JSON tree would cost many times its size in memory.
inline constexpr std::size_t kCodeBodyBytesMax = 64 * 1024;

// The open platform's result code in an answer ({"code","message","request_id","data"}): the
// integer "code" of a JSON object body of at most kCodeBodyBytesMax bytes; nullopt for any
// other body.
std::optional<std::int64_t> open_code_of(std::string_view body);

// The path of a target: what comes before '?'.
std::string_view path_of(std::string_view target);

}  // namespace barrage::sandbox
