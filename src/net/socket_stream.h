#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "net/frame_writer.h"
#include "net/packet_stream.h"
#include "net/stream_origin.h"

namespace barrage::net {

// What both long-connection transports share: a non-blocking socket, the reader that waits
// for it holding no buffer and reads into the loop's, the FrameWriter that writes pushes
// straight to it, and the peer's address. The subclasses turn bytes into packets (TCP: a
// packet stream; WebSocket: frames holding packets) and close.
class SocketStream : public PacketStream {
public:
    boost::asio::any_io_executor executor() override { return socket_.get_executor(); }

    boost::asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets, std::size_t packets_max) override;

    Result<WriteProgress> start_write(const std::vector<FramePtr>& frames, WriteListener& listener) override {
        return writer_.start(frames, listener);
    }

    void abort() override;
    void limit_unsent(std::size_t bytes) override;
    std::string remote() const override { return remote_; }
    std::string address() const override;

protected:
    SocketStream(boost::asio::ip::tcp::socket socket, bool websocket, StreamOrigin origin);

    // Decodes what one read returned, appending whole packets (at most `packets_max`); an
    // error ends the connection.
    virtual Status consume(std::span<char> bytes, std::vector<wire::Packet>& packets, std::size_t packets_max) = 0;

    // How long a graceful close waits for the peer to close its side, and how much of what
    // the peer still sends meanwhile it reads and drops before giving up (a client flooding
    // a closing connection gets the rest as a reset).
    static constexpr std::chrono::milliseconds kCloseLinger{1000};
    static constexpr std::size_t kCloseLingerBytesMax = 256 * 1024;

    // Ends the connection after what has been written: finishes waiting control bytes (a
    // close frame), sends FIN, then reads and drops what the peer still sends until it closes
    // or kCloseLinger passes, and only then closes. Closing at once would answer the peer's
    // late bytes (a heartbeat, its close frame) with a reset that can discard our last ones.
    boost::asio::awaitable<void> close_after_written();

    boost::asio::ip::tcp::socket socket_;
    FrameWriter writer_;

private:
    std::string remote_;
    std::string early_bytes_;
    security::ConnectionCaps::Lease lease_;
};

// "address:port" of an endpoint, with the IPv6 address in brackets: "[::1]:8080".
std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace barrage::net
