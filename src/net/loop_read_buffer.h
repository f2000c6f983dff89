#pragma once

#include <array>
#include <optional>
#include <span>

#include <boost/asio/ip/tcp.hpp>

#include "base/result.h"

namespace barrage::net {

// One read buffer per loop thread, shared by every long connection on it: a connection waits
// for readability holding no buffer, then reads synchronously into this one and keeps (in
// its reassembler) only what does not yet form a whole unit. Valid until the reader next
// suspends.
inline std::span<char> loop_read_buffer() {
    thread_local std::array<char, 64 * 1024> buffer;
    return buffer;
}

// Reads what a readable non-blocking `socket` holds into the loop's buffer: the bytes, the
// socket's error (eof when the peer closed), or nullopt after a spurious wake-up (wait
// again).
std::optional<Result<std::span<char>>> read_into_loop_buffer(boost::asio::ip::tcp::socket& socket);

}  // namespace barrage::net
