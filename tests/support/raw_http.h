#pragma once

// HTTP as bytes, for tests of what the listener answers to requests no well-behaved client
// library would send (over-long lines, bad upgrade keys, odd methods). Blocking; reads time out
// after kWaitMax, so a server that never answers fails the test.

#include <cstdint>
#include <string>
#include <string_view>

namespace barrage::test {

struct RawHttpAnswer {
    unsigned status = 0;
    std::string head;  // status line and headers, as sent
    std::string body;

    // The value of the first header named `name` (case-insensitive), or "".
    std::string header(std::string_view name) const;
};

// Writes `request` to 127.0.0.1:port (as is; it may be invalid HTTP) and reads one answer.
// `source` binds the client to another loopback address (e.g. "127.0.0.2") when not empty.
RawHttpAnswer raw_http(std::uint16_t port, std::string_view request, std::string_view source = {});

}  // namespace barrage::test
