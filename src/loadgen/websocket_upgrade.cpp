#include "loadgen/websocket_upgrade.h"

#include "base/errc.h"

namespace barrage::loadgen {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";
// An upgrade response head is a few hundred bytes; past this it is not one.
constexpr std::size_t kResponseHeadBytesMax = 16 * 1024;

}  // namespace

std::string make_upgrade_request(std::string_view host, std::string_view path) {
    std::string request;
    request.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    request.append(
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "User-Agent: barrage-bench\r\n\r\n");
    return request;
}

Result<std::optional<std::size_t>> parse_upgrade_response(std::string_view bytes) {
    const std::size_t end = bytes.find(kHeadEnd);
    if (end == std::string_view::npos) {
        if (bytes.size() > kResponseHeadBytesMax) {
            return make_error_code(Errc::bad_request);
        }
        return std::optional<std::size_t>{};
    }
    // "HTTP/1.1 101 Switching Protocols"
    const std::string_view status = bytes.substr(0, bytes.find("\r\n"));
    if (!status.starts_with("HTTP/1.1 101")) {
        return make_error_code(Errc::bad_request);
    }
    return std::optional<std::size_t>{end + kHeadEnd.size()};
}

}  // namespace barrage::loadgen
