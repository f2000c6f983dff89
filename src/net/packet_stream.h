#pragma once

#include <cstddef>
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

// Told when a write that start_write could not finish at once has finished or failed.
class WriteListener {
public:
    virtual void on_written(Status status) = 0;
    // What keeps the listener alive while such a write waits: the wait holds it, so a loop
    // that stops with writes still waiting frees their listeners with them.
    virtual std::shared_ptr<void> keep_alive() = 0;

protected:
    ~WriteListener() = default;
};

// How far start_write got: everything is written, or the rest waits for the socket.
enum class WriteProgress { complete, waiting };

// A long connection's transport, WebSocket or raw TCP: both carry whole live-room packets.
// Owner thread only (the loop the connection belongs to). At most one read and one write in
// flight at a time.
class PacketStream {
public:
    virtual ~PacketStream() = default;

    virtual boost::asio::any_io_executor executor() = 0;

    // Reads until at least one whole packet is decoded, appending at most `packets_max` of
    // them (outer and inner packets together) to `packets`. Errors: the codec's
    // (Errc::packet_too_large, Errc::packet_flood past packets_max, ...), or the transport's
    // (eof, reset, frame too big).
    virtual boost::asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets,
                                                        std::size_t packets_max) = 0;

    // Writes frames in order: a WebSocket sends one binary message per frame (so a heartbeat
    // reply travels alone), TCP gathers them into few system calls. What the socket takes at
    // once is written before this returns: `complete` when that was everything (the listener is
    // not called), `waiting` when the rest follows asynchronously (the listener is called once,
    // on the owner loop; `frames` must stay alive and unchanged until then), or the error.
    // Allocates nothing: an idle connection holds no writer at all.
    virtual Result<WriteProgress> start_write(const std::vector<FramePtr>& frames, WriteListener& listener) = 0;

    // Tells the peer why the server is about to close (a WebSocket close frame whose status
    // and reason name `reason`; nothing on TCP). At most once; later calls and close() do not
    // send another.
    virtual void fail(std::error_code reason) = 0;
    // Closes the transport (a WebSocket close frame when possible); pending operations end.
    virtual boost::asio::awaitable<void> close() = 0;
    // Closes at once without a handshake; safe while operations are pending.
    virtual void abort() = 0;
    // From now on the kernel keeps at most about `bytes` of this connection not yet sent
    // (net/send_buffer.h, limit_unsent).
    virtual void limit_unsent(std::size_t bytes) = 0;

    // Peer address and port for logs, e.g. "127.0.0.1:53122" or "[::1]:53122" (the client's
    // forwarded address behind a trusted proxy).
    virtual std::string remote() const = 0;
    // The client's address without the port, for limits: "127.0.0.1", "::1".
    virtual std::string address() const = 0;
    // "ws" or "tcp".
    virtual const char* transport_name() const = 0;
};

}  // namespace barrage::net
