#pragma once

#include <array>
#include <span>

namespace barrage::net {

// One read buffer per loop thread, shared by every long connection on it: a connection waits
// for readability holding no buffer, then reads synchronously into this one and keeps (in
// its reassembler) only what does not yet form a whole unit. Valid until the reader next
// suspends.
inline std::span<char> loop_read_buffer() {
    thread_local std::array<char, 64 * 1024> buffer;
    return buffer;
}

}  // namespace barrage::net
