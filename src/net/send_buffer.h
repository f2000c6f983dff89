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

// Has the kernel take no more for `socket` while `bytes` or more of it wait unsent
// (TCP_NOTSENT_LOWAT): writes then wait for the socket, and what follows stays in the
// outbound queue, where shedding reaches it. Bytes in flight are not counted, so a far
// reader's link stays full. 0 does nothing.
//
// Why only once a connection fell behind (gateway/client_session.h): a reader that keeps up
// never has that much unsent and would only pay for the option; one that fell behind had
// the whole send buffer (2 × connection.send_buffer_bytes) of old batches ahead of every gift.
// With 64 KiB, a reader at 200 kB/s in a room at 10,000 msg/s got its pushes at p50 1.6 s
// instead of 3.6 s (docs/PERFORMANCE.md). A failure is harmless and not reported.
void limit_unsent(boost::asio::ip::tcp::socket& socket, std::size_t bytes);

}  // namespace barrage::net
