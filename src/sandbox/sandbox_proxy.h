#pragma once

// `barrage sandbox-proxy`: a local HTTP proxy a game developer puts between their game and an
// open-platform server (a Barrage server, or any http:// base URL). Every request goes to the
// upstream as the game sent it (signed headers and body byte for byte), every answer comes
// back unchanged, and the calls are counted in a CallReport written at exit.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "sandbox/call_report.h"
#include "sandbox/upstream.h"

namespace barrage::sandbox {

// Every bound the proxy keeps, with its default and why (docs/security.md, "Sandbox proxy").
struct ProxyOptions {
    ListenAddress listen;
    Upstream upstream;
    // Connect, send and receive together; past it the app gets a 502 and the report a
    // timeout. Ten seconds: far above a Barrage server's answer on loopback (under 1 ms), and
    // below the timeouts of the open platform's client libraries, so the app sees our 502.
    Millis upstream_timeout_ms = 10'000;
    // A request body; past it 413 and nothing forwarded. Open-platform bodies are under 10 KiB
    // (a batch heartbeat of 200 game ids is about 8 KiB); 1 MiB leaves room for any other API.
    std::size_t body_bytes_max = 1024 * 1024;
    // An upstream answer's body; past it 502 (answer_too_large). Answers are buffered whole
    // before they are relayed, so this bounds the memory of one call. Open-platform answers
    // are under 4 KiB, a full page of Barrage's room history a few hundred.
    std::size_t answer_bytes_max = 1024 * 1024;
    // An upstream answer's status line and headers; past it 502 (answer_too_large). Four
    // times the 16 KiB the listener allows a request's.
    std::size_t answer_header_bytes_max = 64 * 1024;
    // Connections one client address holds at once (on loopback, all of them); past it a new
    // connection is closed at once. A game needs a handful.
    std::size_t connections_per_address = 64;
    // Requests waiting for the upstream at once; past it 503 and nothing forwarded. Each holds
    // an upstream connection and up to body_bytes_max + answer_bytes_max of memory. A game
    // calls one at a time, or a few (heartbeats beside a start).
    std::size_t in_flight_max = 32;
    CallReport::Limits report;
};

// Thread rule: construct, start, stop and destroy from one (the main) thread. Requests are
// served on the proxy's own single I/O loop, which owns the report until stop().
class SandboxProxy {
public:
    SandboxProxy(ProxyOptions options, const Clock& clock);
    ~SandboxProxy();
    SandboxProxy(const SandboxProxy&) = delete;
    SandboxProxy& operator=(const SandboxProxy&) = delete;

    // Resolves the upstream's host, binds the listening socket and starts serving. Throws
    // (start-up) when the host does not resolve or the address cannot be bound.
    void start();
    // The port it listens on (the one picked when the options said 0).
    std::uint16_t port() const;
    // Stops accepting and ends the loop: requests still waiting for the upstream get no
    // answer and are counted as "unanswered_at_stop". Returns the report: the CallReport's
    // fields plus "upstream", "listen", "started_at_ms", "stopped_at_ms" (wall clock) and
    // "unanswered_at_stop". Call once.
    boost::json::object stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Writes `report` as one line of JSON to `path`, through a temporary file renamed into place so
// a reader never sees half a report.
Status write_report(const std::string& path, const boost::json::object& report);

}  // namespace barrage::sandbox
