#include "support/raw_http.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <cctype>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "support/packet_client.h"

namespace barrage::test {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string RawHttpAnswer::header(std::string_view name) const {
    std::size_t at = head.find("\r\n");
    while (at != std::string::npos && at + 2 < head.size()) {
        const auto end = head.find("\r\n", at + 2);
        const auto line = std::string_view(head).substr(at + 2, end - at - 2);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && same_ignoring_case(line.substr(0, colon), name)) {
            auto value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') {
                value.remove_prefix(1);
            }
            return std::string(value);
        }
        at = end;
    }
    return {};
}

RawHttpAnswer raw_http(std::uint16_t port, std::string_view request, std::string_view source) {
    asio::io_context context;
    tcp::socket socket(context);
    socket.open(tcp::v4());
    if (!source.empty()) {
        socket.bind(tcp::endpoint(asio::ip::make_address(std::string(source)), 0));
    }
    timeval timeout{static_cast<time_t>(kWaitMax.count() / 1000), 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(request.data(), request.size()), ec);  // the server may close early
    std::string received;
    char chunk[16 * 1024];
    RawHttpAnswer answer;
    for (;;) {
        const auto head_end = received.find("\r\n\r\n");
        if (head_end != std::string::npos) {
            answer.head = received.substr(0, head_end + 2);
            if (answer.head.size() > 12) {
                answer.status = static_cast<unsigned>(std::stoul(answer.head.substr(9, 3)));
            }
            const auto length = answer.header("Content-Length");
            const std::size_t body_bytes = length.empty() ? 0 : std::stoul(length);
            if (received.size() >= head_end + 4 + body_bytes || request.starts_with("HEAD ")) {
                answer.body = received.substr(head_end + 4, request.starts_with("HEAD ") ? 0 : body_bytes);
                return answer;
            }
        }
        const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            throw std::runtime_error("raw_http: no answer in time");
        }
        if (ec) {
            throw std::runtime_error("raw_http: connection ended before a whole answer: " + received.substr(0, 200));
        }
        received.append(chunk, n);
    }
}

}  // namespace barrage::test
