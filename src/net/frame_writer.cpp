#include "net/frame_writer.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "base/errc.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Frames gathered into one system call (two buffers each for a WebSocket, plus control
// bytes). A receiver catching up on many batches still needs few calls.
constexpr std::size_t kFramesPerWriteMax = 64;
using Buffers = std::array<iovec, 2 * kFramesPerWriteMax + 1>;

void add(Buffers& buffers, std::size_t& count, const char* data, std::size_t size) {
    // iovec's pointer is not const; sendmsg only reads through it.
    buffers[count++] = iovec{const_cast<char*>(data), size};
}

// Adds the part of `piece` from `skip` on; returns how much of `skip` is left for the next.
std::size_t add_from(Buffers& buffers, std::size_t& count, std::string_view piece, std::size_t skip) {
    if (skip >= piece.size()) {
        return skip - piece.size();
    }
    add(buffers, count, piece.data() + skip, piece.size() - skip);
    return 0;
}

}  // namespace

Result<WriteProgress> FrameWriter::start(const std::vector<FramePtr>& frames, WriteListener& listener) {
    frames_ = &frames;
    next_ = 0;
    offset_ = 0;
    auto progress = pump();
    if (!progress || *progress == WriteProgress::complete) {
        frames_ = nullptr;
        return progress;
    }
    listener_ = &listener;
    wait_writable(listener.keep_alive());
    return WriteProgress::waiting;
}

Status FrameWriter::send_control(std::string_view bytes) {
    if (control_.size() - control_sent_ + bytes.size() > kControlBytesMax) {
        return make_error_code(Errc::outbound_overflow);
    }
    control_.append(bytes);
    if (writing()) {
        return {};  // goes out at the next frame boundary of the write in progress
    }
    return flush_control();
}

Status FrameWriter::flush_control() {
    if (writing() || !control_pending()) {
        return {};
    }
    auto progress = pump();
    if (!progress) {
        return progress.error();
    }
    return {};
}

Result<WriteProgress> FrameWriter::pump() {
    for (;;) {
        Buffers buffers;
        std::size_t count = 0;
        const std::size_t frame_count = frames_ != nullptr ? frames_->size() : 0;
        if (offset_ == 0 && control_sent_ < control_.size()) {
            add(buffers, count, control_.data() + control_sent_, control_.size() - control_sent_);
        }
        // A partly written frame is finished first; control bytes only go at a boundary.
        std::size_t skip = offset_;
        const std::size_t end = std::min(frame_count, next_ + (offset_ == 0 ? kFramesPerWriteMax : 1));
        for (std::size_t i = next_; i < end; ++i) {
            const auto& frame = *(*frames_)[i];
            if (websocket_) {
                skip = add_from(buffers, count, frame.websocket_header.view(), skip);
            }
            skip = add_from(buffers, count, frame.bytes, skip);
        }
        if (count == 0) {
            return WriteProgress::complete;
        }
        msghdr message{};
        message.msg_iov = buffers.data();
        message.msg_iovlen = count;
        const ssize_t written = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return WriteProgress::waiting;
            }
            return std::error_code(errno, std::system_category());
        }
        advance(static_cast<std::size_t>(written));
    }
}

void FrameWriter::advance(std::size_t written) {
    if (offset_ == 0 && control_sent_ < control_.size()) {
        const std::size_t taken = std::min(written, control_.size() - control_sent_);
        control_sent_ += taken;
        written -= taken;
        if (control_sent_ < control_.size()) {
            return;
        }
        control_.clear();
        control_sent_ = 0;
    }
    while (written > 0) {
        const std::size_t left = frame_bytes(next_) - offset_;
        if (written < left) {
            offset_ += written;
            return;
        }
        written -= left;
        offset_ = 0;
        ++next_;
    }
}

std::size_t FrameWriter::frame_bytes(std::size_t index) const {
    const auto& frame = *(*frames_)[index];
    return frame.bytes.size() + (websocket_ ? frame.websocket_header.size : 0);
}

void FrameWriter::wait_writable(std::shared_ptr<void> keep_alive) {
    socket_.async_wait(tcp::socket::wait_write,
                       [this, keep_alive = std::move(keep_alive)](boost::system::error_code ec) mutable {
                           // Held to the end of this handler: finish() may drop the owner's last other reference.
                           auto keep = std::move(keep_alive);
                           if (ec) {
                               finish(std::error_code(ec));
                               return;
                           }
                           auto progress = pump();
                           if (!progress) {
                               finish(progress.error());
                           } else if (*progress == WriteProgress::complete) {
                               finish(Status{});
                           } else {
                               wait_writable(std::move(keep));
                           }
                       });
}

void FrameWriter::finish(Status status) {
    auto* listener = listener_;
    listener_ = nullptr;
    frames_ = nullptr;
    // Last: the listener may release what owns this writer.
    listener->on_written(status);
}

}  // namespace barrage::net
