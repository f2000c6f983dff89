#pragma once

#include <cstddef>

#include <boost/asio/ip/tcp.hpp>

namespace barrage::net {

// Caps a long connection's kernel send buffer at `bytes` (0 leaves the kernel's autotuning).
//
// Why: what sits in the kernel's buffer is out of shedding's reach. Autotuned to megabytes (on
// loopback at once, on fast links over time), it holds many seconds of a busy room for a
// reader that then slows down, who sees that old backlog first and only later the samples the
// server chose for it. A cap keeps the backlog in the outbound queue, where danmaku are
// sampled and gifts never dropped. Linux doubles the value for its own bookkeeping.
// A failure is harmless (the kernel's buffer stays), so it is not reported.
void cap_send_buffer(boost::asio::ip::tcp::socket& socket, std::size_t bytes);

}  // namespace barrage::net
