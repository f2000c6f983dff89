#include "net/frame_writer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/errc.h"
#include "wire/websocket_frame.h"

namespace barrage::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// A connected pair on loopback: the writer's socket (non-blocking, small send buffer) and a
// peer that reads only when told to, into `received`.
struct Pair {
    Pair() : writer_socket(io), peer(io) {
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
        peer.open(tcp::v4());
        peer.set_option(asio::socket_base::receive_buffer_size(4096));
        peer.connect(acceptor.local_endpoint());
        acceptor.accept(writer_socket);
        writer_socket.set_option(asio::socket_base::send_buffer_size(4096));
        writer_socket.non_blocking(true);
        peer.non_blocking(true);
    }

    // Reads what the peer has, without blocking.
    void drain_peer() {
        char chunk[64 * 1024];
        for (;;) {
            boost::system::error_code ec;
            std::size_t n = peer.read_some(asio::buffer(chunk), ec);
            if (ec) {
                return;
            }
            received.append(chunk, n);
        }
    }

    asio::io_context io;
    tcp::socket writer_socket;
    tcp::socket peer;
    std::string received;
};

struct Listener final : WriteListener {
    void on_written(Status status) override {
        ++calls;
        last = status;
    }
    std::shared_ptr<void> keep_alive() override { return token; }

    int calls = 0;
    Status last;
    std::shared_ptr<int> token = std::make_shared<int>(0);
};

std::vector<FramePtr> frames_of(int count, std::size_t size) {
    std::vector<FramePtr> frames;
    for (int i = 0; i < count; ++i) {
        frames.push_back(wire::make_frame(std::string(size, static_cast<char>('a' + i % 26))));
    }
    return frames;
}

// The WebSocket frames in `bytes`, as (opcode, payload).
std::vector<std::pair<wire::WebSocketOpcode, std::string>> parse_all(std::string bytes) {
    std::vector<std::pair<wire::WebSocketOpcode, std::string>> out;
    std::size_t used = 0;
    while (used < bytes.size()) {
        auto frame = wire::parse_websocket_frame(bytes.data() + used, bytes.size() - used, 1 << 24);
        EXPECT_TRUE(frame && *frame) << "broken frame at byte " << used;
        if (!frame || !*frame) {
            break;
        }
        out.emplace_back((*frame)->opcode, std::string((*frame)->payload));
        used += (*frame)->frame_bytes;
    }
    return out;
}

TEST(FrameWriter, SmallWritesCompleteAtOnceWithoutTheListener) {
    Pair pair;
    FrameWriter writer(pair.writer_socket, true);
    Listener listener;
    auto frames = frames_of(3, 100);
    auto progress = writer.start(frames, listener);
    ASSERT_TRUE(progress);
    EXPECT_EQ(*progress, WriteProgress::complete);
    EXPECT_FALSE(writer.writing());
    pair.io.run_for(std::chrono::milliseconds(20));
    pair.drain_peer();
    auto got = parse_all(pair.received);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[2].second, std::string(100, 'c'));
    EXPECT_EQ(listener.calls, 0);
}

TEST(FrameWriter, AFullSocketWaitsResumesMidFrameAndTakesControlBytesAtABoundary) {
    Pair pair;
    FrameWriter writer(pair.writer_socket, true);
    Listener listener;
    // Far more than the two small buffers hold: the write must wait, mid-frame.
    auto frames = frames_of(40, 10'000);
    auto progress = writer.start(frames, listener);
    ASSERT_TRUE(progress);
    ASSERT_EQ(*progress, WriteProgress::waiting);
    EXPECT_TRUE(writer.writing());
    std::string pong;
    wire::append_websocket_frame(pong, wire::WebSocketOpcode::pong, "p");
    ASSERT_TRUE(writer.send_control(pong));
    // Bounded: a write that never completes fails the test instead of hanging it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (listener.calls == 0) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the waiting write never completed";
        pair.drain_peer();
        pair.io.run_for(std::chrono::milliseconds(5));
    }
    pair.drain_peer();
    EXPECT_TRUE(listener.last);
    auto got = parse_all(pair.received);
    ASSERT_EQ(got.size(), 41u);
    int data = 0;
    for (const auto& [opcode, payload] : got) {
        if (opcode == wire::WebSocketOpcode::pong) {
            EXPECT_EQ(payload, "p");
            continue;
        }
        EXPECT_EQ(payload, std::string(10'000, static_cast<char>('a' + data % 26))) << data;
        ++data;
    }
    EXPECT_EQ(data, 40);
}

TEST(FrameWriter, ControlBytesWaitingPastTheBoundAreRefused) {
    Pair pair;
    FrameWriter writer(pair.writer_socket, true);
    Listener listener;
    auto frames = frames_of(40, 10'000);
    ASSERT_EQ(*writer.start(frames, listener), WriteProgress::waiting);
    std::string pong;
    wire::append_websocket_frame(pong, wire::WebSocketOpcode::pong, std::string(125, 'p'));
    std::size_t accepted = 0;
    Status sent;
    while ((sent = writer.send_control(pong))) {
        ++accepted;
    }
    EXPECT_EQ(sent.error(), make_error_code(Errc::outbound_overflow));
    EXPECT_EQ(accepted, FrameWriter::kControlBytesMax / pong.size());
}

TEST(FrameWriter, AWaitingWriteHoldsItsListenerOnlyUntilTheLoopIsGone) {
    std::weak_ptr<int> held;
    {
        Pair pair;
        FrameWriter writer(pair.writer_socket, false);
        Listener listener;
        held = listener.token;
        auto frames = frames_of(40, 10'000);
        ASSERT_EQ(*writer.start(frames, listener), WriteProgress::waiting);
        listener.token.reset();
        EXPECT_FALSE(held.expired()) << "the waiting write keeps its listener alive";
        // The loop stops with the write still waiting: destroying it must free the listener.
    }
    EXPECT_TRUE(held.expired());
}

TEST(FrameWriter, TcpModeWritesTheBytesAlone) {
    Pair pair;
    FrameWriter writer(pair.writer_socket, false);
    Listener listener;
    auto frames = frames_of(2, 5);
    ASSERT_EQ(*writer.start(frames, listener), WriteProgress::complete);
    pair.io.run_for(std::chrono::milliseconds(20));
    pair.drain_peer();
    EXPECT_EQ(pair.received, "aaaaabbbbb");
}

TEST(FrameWriter, AWriteToAClosedPeerFails) {
    Pair pair;
    FrameWriter writer(pair.writer_socket, false);
    Listener listener;
    pair.writer_socket.close();
    auto frames = frames_of(1, 5);
    EXPECT_FALSE(writer.start(frames, listener));
}

}  // namespace
}  // namespace barrage::net
