#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <system_error>
#include <unordered_set>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/io_threads.h"
#include "gateway/services.h"
#include "gateway/subscriber.h"
#include "net/packet_stream.h"
#include "room/encoding.h"
#include "wire/packet.h"

namespace barrage::gateway {

// One long connection speaking the live-room protocol, over WebSocket or TCP: auth (op 7)
// within the deadline, heartbeats (op 2 → op 3 with the online count), sends (op 4 → op 1000),
// and pushes of the room's shared frames through a queue bounded in bytes.
//
// One coroutine reads (protocol); a push is written synchronously when the socket takes it, and
// only a write the socket could not take at once waits (its wait holds a strong reference);
// deadlines are checked by the registry's per-loop sweep. Owner loop only; the strong
// references are held by the reader, a waiting write and a closing handshake, and the Hub's
// member list holds a plain pointer that is removed before the reader finishes.
class ClientSession final : public Subscriber,
                            private net::WriteListener,
                            public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(Services& services, class SessionRegistry& registry,
                  std::unique_ptr<net::PacketStream> stream, std::size_t loop);
    ~ClientSession() override;

    void start();
    void deliver(const wire::FramePtr& frame) override;
    // Flushes what is queued, then closes (server shutdown). Owner loop only.
    void shut_down();

private:
    boost::asio::awaitable<void> read_loop();
    void write_next();
    void on_written(Status status) override;
    std::shared_ptr<void> keep_alive() override { return shared_from_this(); }
    void release_in_flight();
    void finish_close();

    boost::asio::awaitable<Status> authenticate(const wire::Packet& packet);
    boost::asio::awaitable<void> handle(const wire::Packet& packet);
    void reply_heartbeat();
    void send_control(wire::Operation operation, std::uint32_t sequence, std::string_view body);
    void enqueue(wire::FramePtr frame);

    // Ends the connection. Graceful: what is queued is written first (auth failure replies,
    // shutdown). Otherwise the socket is dropped at once.
    void close(std::error_code reason, bool graceful);
    // Closes the connection when its auth or heartbeat deadline has passed (registry sweep).
    void check_deadline(Millis now_ms);
    friend class SessionRegistry;

    Services& services_;
    SessionRegistry& registry_;
    std::unique_ptr<net::PacketStream> stream_;
    std::size_t loop_;
    Millis deadline_ms_ = 0;  // steady time by which the next auth/heartbeat must arrive

    std::vector<wire::FramePtr> queue_;      // a vector: an empty deque allocates ~600 bytes
    std::vector<wire::FramePtr> in_flight_;  // being written; alive until the write completes
    std::size_t queued_bytes_ = 0;  // queued plus being written: the bounded quantity
    bool writing_ = false;          // a write waits for the socket (and holds keep_alive())
    bool close_started_ = false;

    bool authenticated_ = false;
    bool closing_ = false;
    bool graceful_ = false;
    bool aborted_ = false;  // a graceful close that ran out of time was cut short
    std::error_code close_reason_;

    std::optional<RoomId> room_;  // set once joined
    room::EncodingKey key_;
    message::Sender sender_;
};

// Starts a session for a new long connection (the StreamHandler of the listeners). Tracks live
// sessions per loop so shutdown can reach them.
class SessionRegistry {
public:
    SessionRegistry(Services& services, net::IoThreads& loops);
    ~SessionRegistry();
    // Starts and stops the per-loop deadline sweeps (main thread).
    void start();
    void stop();
    void accept(std::unique_ptr<net::PacketStream> stream, std::size_t loop);
    // Asks every session on every loop to flush and close. Safe from any thread.
    void shut_down_all(net::IoThreads& loops);
    std::size_t live() const { return live_.load(std::memory_order_relaxed); }

private:
    friend class ClientSession;
    void schedule_sweep(std::size_t loop);

    Services& services_;
    std::vector<std::unique_ptr<boost::asio::steady_timer>> sweepers_;  // one per loop
    Millis sweep_interval_ms_ = 1000;
    std::atomic<bool> stopped_{false};
    std::vector<std::unordered_set<ClientSession*>> sessions_;  // per loop, owner loop only
    std::atomic<std::size_t> live_{0};
};

}  // namespace barrage::gateway
