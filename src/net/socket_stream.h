#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "net/frame_writer.h"
#include "net/packet_stream.h"

namespace barrage::net {

// What both long-connection transports share: a non-blocking socket, the reader that waits
// for it holding no buffer and reads into the loop's, the FrameWriter that writes pushes
// straight to it, and the peer's address. The subclasses turn bytes into packets (TCP: a
// packet stream; WebSocket: frames holding packets) and close.
class SocketStream : public PacketStream {
public:
    boost::asio::any_io_executor executor() override { return socket_.get_executor(); }

    boost::asio::awaitable<Status> read_packets(std::vector<wire::Packet>& packets) override;

    Result<WriteProgress> start_write(const std::vector<FramePtr>& frames, WriteListener& listener) override {
        return writer_.start(frames, listener);
    }

    void abort() override;
    std::string remote() const override { return remote_; }

protected:
    // `early_bytes`: what came with the request that opened the connection, read first.
    SocketStream(boost::asio::ip::tcp::socket socket, bool websocket, std::string early_bytes = {});

    // Decodes what one read returned, appending whole packets; an error ends the connection.
    virtual Status consume(std::span<char> bytes, std::vector<wire::Packet>& packets) = 0;

    // How long a graceful close waits for the peer to close its side.
    static constexpr std::chrono::milliseconds kCloseLinger{1000};

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
};

}  // namespace barrage::net
