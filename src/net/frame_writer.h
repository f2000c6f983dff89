#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "base/result.h"
#include "net/packet_stream.h"

namespace barrage::net {

// Writes shared frames to a non-blocking socket with gathered system calls: synchronously
// while the kernel takes them (the usual case: a room batch reaches a receiver in one
// sendmsg, with no asio operation and no completion to schedule), then by waiting for
// writability. WebSocket mode sends each frame as one message, its header taken from the
// frame (made once per batch), and lets control frames (pong, close) in between frames.
// Allocates nothing per write.
// Owner loop only. A write that waits holds its listener's keep_alive().
class FrameWriter {
public:
    // Control bytes allowed to wait for the socket: a few pongs and a close frame. A client
    // that keeps pinging without reading is past it and gets Errc::outbound_overflow.
    static constexpr std::size_t kControlBytesMax = 1024;

    FrameWriter(boost::asio::ip::tcp::socket& socket, bool websocket) : socket_(socket), websocket_(websocket) {}

    // As PacketStream::start_write.
    Result<WriteProgress> start(const std::vector<FramePtr>& frames, WriteListener& listener);

    // Bytes that go out at the next frame boundary, ahead of the frames still queued: now when
    // nothing is being written, else within the write in progress. What the socket does not
    // take while no write is in progress waits for the next write or flush_control(). Errors:
    // the socket's, or Errc::outbound_overflow past kControlBytesMax waiting.
    Status send_control(std::string_view bytes);
    // Writes waiting control bytes when no write is in progress.
    Status flush_control();
    bool control_pending() const { return control_sent_ < control_.size(); }

    bool writing() const { return listener_ != nullptr; }

private:
    // Writes what the socket takes: complete when nothing is left, else waiting.
    Result<WriteProgress> pump();
    void advance(std::size_t written);
    std::size_t frame_bytes(std::size_t index) const;
    void wait_writable(std::shared_ptr<void> keep_alive);
    void finish(Status status);

    boost::asio::ip::tcp::socket& socket_;
    bool websocket_;
    const std::vector<FramePtr>* frames_ = nullptr;  // the write in progress
    std::size_t next_ = 0;                           // first frame not wholly written
    std::size_t offset_ = 0;                         // bytes of frame next_ (header included) already written
    WriteListener* listener_ = nullptr;              // set while a write waits for writability
    std::string control_;                            // control frames waiting for a frame boundary
    std::size_t control_sent_ = 0;
};

}  // namespace barrage::net
