#include "net/loop_read_buffer.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<Result<std::span<char>>> read_into_loop_buffer(tcp::socket& socket) {
    for (;;) {
        boost::system::error_code ec;
        co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            co_return std::error_code(ec);
        }
        auto chunk = loop_read_buffer();
        std::size_t n = socket.read_some(asio::buffer(chunk.data(), chunk.size()), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            continue;  // a spurious wake-up
        }
        if (ec) {
            co_return std::error_code(ec);
        }
        co_return chunk.first(n);
    }
}

}  // namespace barrage::net
