#pragma once

// Where the sandbox proxy listens and where it sends what it receives, parsed from the
// command line. Start-up only: the parsers throw std::invalid_argument with a message that
// says what is wrong, for the command to print.

#include <cstdint>
#include <string>
#include <string_view>

namespace barrage::sandbox {

// An http:// base URL: every request goes to base_path + the target the app asked for.
struct Upstream {
    std::string host;  // a name or an address as written, an IPv6 address without brackets
    std::uint16_t port = 80;
    std::string base_path;    // "" or "/prefix", never ending in '/'
    std::string host_header;  // the Host the upstream is sent: "host", "host:port", "[::1]:port"

    // "http://host:port/prefix", as the report and the logs name it.
    std::string text() const;
};

// Parses `url`: http only (an https URL is refused, saying that TLS is not supported and what
// to do instead), a host, an optional port 1-65535, an optional base path; no user info, query
// or fragment.
Upstream parse_upstream(std::string_view url);

struct ListenAddress {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0 picks a free one

    // "127.0.0.1:8081", "[::1]:8081".
    std::string text() const;
};

// "PORT" (on 127.0.0.1), "ADDRESS:PORT" or "[IPV6]:PORT"; the address must be an IP address.
ListenAddress parse_listen_address(std::string_view text);

// True for 127.0.0.0/8 and ::1: only this machine can reach a proxy listening there.
bool is_loopback(const ListenAddress& listen);

}  // namespace barrage::sandbox
