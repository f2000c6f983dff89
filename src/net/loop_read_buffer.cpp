#include "net/loop_read_buffer.h"

namespace barrage::net {

namespace asio = boost::asio;

std::optional<Result<std::span<char>>> read_into_loop_buffer(asio::ip::tcp::socket& socket) {
    auto chunk = loop_read_buffer();
    boost::system::error_code ec;
    std::size_t n = socket.read_some(asio::buffer(chunk.data(), chunk.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
        return std::nullopt;
    }
    if (ec) {
        return Result<std::span<char>>(std::error_code(ec));
    }
    return Result<std::span<char>>(chunk.first(n));
}

}  // namespace barrage::net
