#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.h"
#include "wire/codec.h"
#include "wire/frame.h"
#include "wire/packet.h"

namespace barrage::net {

using wire::FramePtr;

// A long connection's transport, WebSocket or raw TCP: both carry whole live-room packets.
// Owner thread only (the loop the connection belongs to). At most one read and one write in
// flight at a time.
class PacketStream {
public:
    virtual ~PacketStream() = default;

    virtual boost::asio::any_io_executor executor() = 0;

    // Reads until at least one whole packet is decoded, appending to `packets`. Errors: the
    // codec's (Errc::packet_too_large, ...), or the transport's (eof, reset, frame too big).
    virtual boost::asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets) = 0;

    // Called once, on the owner loop, when a write finished or failed.
    using WriteDone = std::function<void(Status)>;

    // Writes frames in order; `frames` must stay alive and unchanged until `done` runs. A
    // WebSocket sends one message per frame (so a heartbeat reply travels alone); TCP gathers
    // them into few writes. A plain callback, not a coroutine: an idle connection then holds
    // no writer at all.
    virtual void start_write(const std::vector<FramePtr>& frames, WriteDone done) = 0;

    // Closes the transport (a WebSocket close frame when possible); pending operations end.
    virtual boost::asio::awaitable<void> close() = 0;
    // Closes at once without a handshake; safe while operations are pending.
    virtual void abort() = 0;

    // Peer address for logs and limits, e.g. "127.0.0.1:53122".
    virtual std::string remote() const = 0;
    // "ws" or "tcp".
    virtual const char* transport_name() const = 0;
};

}  // namespace barrage::net
