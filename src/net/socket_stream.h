#pragma once

#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "net/frame_writer.h"
#include "net/packet_stream.h"

namespace barrage::net {

// What both long-connection transports share: a non-blocking socket, the FrameWriter that
// writes pushes straight to it, and the peer's address. The subclasses read (TCP: a packet
// stream; WebSocket: frames holding packets) and close.
class SocketStream : public PacketStream {
public:
    boost::asio::any_io_executor executor() override { return socket_.get_executor(); }

    Result<WriteProgress> start_write(const std::vector<FramePtr>& frames, WriteListener& listener) override {
        return writer_.start(frames, listener);
    }

    void abort() override;
    std::string remote() const override { return remote_; }

protected:
    SocketStream(boost::asio::ip::tcp::socket socket, bool websocket);

    // Ends the connection after what has been written: no more sends, then close.
    void shut_down_and_close();

    boost::asio::ip::tcp::socket socket_;
    FrameWriter writer_;

private:
    std::string remote_;
};

}  // namespace barrage::net
