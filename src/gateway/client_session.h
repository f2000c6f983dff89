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
#include "security/token_bucket.h"
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
// member list and the registry hold plain pointers that the reader removes however it ends
// (returning or throwing: see Departure in the .cpp).
//
// What one connection may cost is bounded: packets per second (SessionOptions::packet_rate,
// checked before anything is inflated), a heartbeat reply at most per interval, and the reader
// yields to the loop's other connections after kPacketsPerTurn packets.
class ClientSession final : public Subscriber,
                            public GameMember,
                            private net::WriteListener,
                            public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(Services& services, class SessionRegistry& registry, std::unique_ptr<net::PacketStream> stream,
                  std::size_t loop);
    ~ClientSession() override;

    void start();
    void deliver(const wire::FramePtr& frame) override;
    std::size_t queued_bytes() const override { return queued_bytes_; }
    void end_game(std::string_view body) override;
    void kick(std::error_code why) override;
    // Flushes what is queued, then closes (server shutdown). Owner loop only.
    void shut_down();

private:
    // How a connection ends. abort: at once, queued frames dropped. flush: after what is
    // queued is written (shutdown, an auth failure's reply). refuse: queued frames dropped,
    // the client told why (a WebSocket close frame naming the error), then closed.
    enum class CloseMode : std::uint8_t { abort, flush, refuse };

    struct Departure;
    boost::asio::awaitable<void> read_loop();
    // Between two reads: closes on a failed read (false), else takes the packets from the
    // connection's budget (true).
    bool accept_read(const Status& status, std::size_t packet_count);
    // Handles what one read brought, yielding to the loop every kPacketsPerTurn packets.
    boost::asio::awaitable<void> handle_all(const std::vector<wire::Packet>& packets);
    // Leaves the room and the registry; runs exactly once, when the reader ends however it ends.
    void depart() noexcept;
    // Packets this connection may send now (its token bucket, or unlimited for bots and up).
    std::size_t packet_budget();
    void write_next();
    void on_written(Status status) override;
    std::shared_ptr<void> keep_alive() override { return shared_from_this(); }
    void release_in_flight();
    void finish_close();

    boost::asio::awaitable<Status> authenticate(const wire::Packet& packet);
    boost::asio::awaitable<void> handle(const wire::Packet& packet);
    void on_heartbeat(Millis now_ms);
    void reply_heartbeat(Millis now_ms);
    void send_control(wire::Operation operation, std::uint32_t sequence, std::string_view body);
    void enqueue(wire::FramePtr frame);

    // Ends the connection (see CloseMode); counts the cause when it is the client's fault.
    void close(std::error_code reason, CloseMode mode);
    // The registry's sweep: closes the connection when its auth or heartbeat deadline has
    // passed, and sends a heartbeat reply that waited for its interval.
    void check_deadline(Millis now_ms);
    friend class SessionRegistry;

    Services& services_;
    SessionRegistry& registry_;
    std::unique_ptr<net::PacketStream> stream_;
    std::size_t loop_;
    Millis deadline_ms_ = 0;  // steady time by which the next auth/heartbeat must arrive

    std::vector<wire::FramePtr> queue_;      // a vector: an empty deque allocates ~600 bytes
    std::vector<wire::FramePtr> in_flight_;  // being written; alive until the write completes
    std::size_t queued_bytes_ = 0;           // queued plus being written: the bounded quantity
    bool writing_ = false;                   // a write waits for the socket (and holds keep_alive())
    bool unsent_limited_ = false;            // fell behind once: the kernel's unsent bytes are capped
    bool close_started_ = false;

    bool authenticated_ = false;
    bool subscribed_ = false;  // receives the room's pushes (auth "receive" not false)
    bool closing_ = false;
    bool graceful_ = false;
    bool aborted_ = false;             // a graceful close that ran out of time was cut short
    bool packet_rate_exempt_ = false;  // signed in as a bot or above
    bool heartbeat_owed_ = false;      // a heartbeat came within the reply interval
    std::error_code close_reason_;
    security::TokenBucket packets_;  // the packet budget (SessionOptions::packet_rate)
    Millis last_heartbeat_reply_ms_ = 0;

    std::optional<RoomId> room_;  // set once joined
    std::string game_id_;         // an open-platform game's connection: its game
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
    // Aborts every session still open and waits (at most `wait_ms`) until their readers have
    // ended, so that none is left to be torn down with the loops, after the hub. Main thread,
    // while the loops run; false when some reader had not ended in time.
    bool abort_all(net::IoThreads& loops, Millis wait_ms);
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
