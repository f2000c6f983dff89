#include "sandbox/upstream.h"

#include <charconv>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace barrage::sandbox {

namespace {

[[noreturn]] void refuse(const std::string& what) {
    throw std::invalid_argument(what);
}

// 1-65535 (0 too when `zero_allowed`), digits only.
std::uint16_t parse_port(std::string_view text, bool zero_allowed, const std::string& context) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || stop != end || value > 65535 || (value == 0 && !zero_allowed)) {
        refuse(context + ": port \"" + std::string(text) + "\" is not " + (zero_allowed ? "0-65535" : "1-65535"));
    }
    return static_cast<std::uint16_t>(value);
}

std::string with_port(const std::string& host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

std::string Upstream::text() const {
    return "http://" + with_port(host, port) + base_path;
}

Upstream parse_upstream(std::string_view url) {
    const std::string context = "\"" + std::string(url) + "\"";
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        refuse(context + ": not an absolute URL such as http://127.0.0.1:8080");
    }
    const boost::urls::url_view& view = *parsed;
    if (view.scheme_id() == boost::urls::scheme::https) {
        refuse(context +
               ": https upstreams are not supported (the proxy speaks plain HTTP); point it at a Barrage "
               "server's http:// address, or at a local TLS-terminating proxy");
    }
    if (view.scheme_id() != boost::urls::scheme::http) {
        refuse(context + ": only http:// URLs are supported");
    }
    if (!view.has_authority() || view.host_address().empty()) {
        refuse(context + ": no host");
    }
    if (view.has_userinfo()) {
        refuse(context + ": user information (user:password@) is not supported");
    }
    if (view.has_query() || view.has_fragment()) {
        refuse(context + ": a base URL has no query or fragment");
    }
    Upstream upstream;
    upstream.host = std::string(view.host_address());
    if (view.has_port()) {
        upstream.port = parse_port(view.port(), false, context);
    }
    upstream.base_path = std::string(view.encoded_path());
    if (!upstream.base_path.empty() && upstream.base_path.front() != '/') {
        // Boost.URL 1.81 reads "host:80a" as port 80 and path "a".
        refuse(context + ": \"" + upstream.base_path + "\" after the port is neither a port nor a path");
    }
    while (!upstream.base_path.empty() && upstream.base_path.back() == '/') {
        upstream.base_path.pop_back();
    }
    // The port goes in Host unless it is http's own (RFC 9110 §7.2).
    upstream.host_header = std::string(view.encoded_host());
    if (upstream.port != 80) {
        upstream.host_header += ":" + std::to_string(upstream.port);
    }
    return upstream;
}

std::string ListenAddress::text() const {
    return with_port(address, port);
}

ListenAddress parse_listen_address(std::string_view text) {
    const std::string context = "\"" + std::string(text) + "\"";
    ListenAddress listen;
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        listen.port = parse_port(text, true, context);
        return listen;
    }
    std::string_view address = text.substr(0, colon);
    if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
        address = address.substr(1, address.size() - 2);
    } else if (address.find(':') != std::string_view::npos) {
        refuse(context + ": write an IPv6 address in brackets, e.g. [::1]:8081");
    }
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(std::string(address), ec);
    if (ec) {
        refuse(context + ": \"" + std::string(address) + "\" is not an IP address");
    }
    listen.address = parsed.to_string();
    listen.port = parse_port(text.substr(colon + 1), true, context);
    return listen;
}

bool is_loopback(const ListenAddress& listen) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(listen.address, ec);
    return !ec && parsed.is_loopback();
}

}  // namespace barrage::sandbox
