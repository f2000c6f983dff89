#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "loadgen/dialogue.h"
#include "loadgen/readiness_poller.h"
#include "loadgen/transport.h"

namespace barrage::loadgen {

class DeliveryRecorder;

// Monotonic nanoseconds; the clock the publisher stamps markers with and receivers compare to.
std::int64_t steady_now_ns();

// Where a session reports. Both may be null (the publisher records no deliveries).
struct SessionSinks {
    DeliveryRecorder* recorder = nullptr;                          // deliveries of subscribers on this thread
    std::atomic<std::uint64_t>* lost = nullptr;                    // bumped when an established session drops
    std::map<std::string, std::uint64_t>* lost_reasons = nullptr;  // why, with counts
    // Where an established session waits for bytes (subscribers); null: its own read loop.
    ReadinessPoller* poller = nullptr;
    // A slow reader: bytes per second it reads at most once established (0: as fast as the
    // bytes come). A slow reader runs its own paced read loop, never the poller.
    double read_rate_per_s = 0;
};

// One client connection: a transport and a dialogue, one read loop, and an outbox with one
// write in flight: whatever is queued while a write runs goes out together in the next one.
// The owner (a pool or the publisher) holds the strong reference; every async chain holds
// `self` as well.
// Owner thread only.
class Session final : public std::enable_shared_from_this<Session>,
                      private DialogueEvents,
                      private TransportSink,
                      private ReadinessPoller::Reader {
public:
    Session(net::any_io_executor executor, const TransportConfig& transport, const DialogueConfig& dialogue,
            SessionSinks sinks);
    ~Session();

    // Connects from `source`, upgrades, greets and reads until the server accepts or refuses
    // us, all within `timeout`. On success keeps reading in the background until closed.
    // Returns what failed, or an empty string.
    net::awaitable<std::string> establish(net::ip::address source, std::chrono::milliseconds timeout);

    // Queues `payload` to send as one WebSocket message (or onto the TCP stream).
    void send(std::string_view payload);
    void send_heartbeat();
    void close();

    Dialogue& dialogue() { return *dialogue_; }
    bool closed() const { return closed_; }
    std::size_t queued_bytes() const { return outbox_.size() + in_flight_.size(); }

    // Publisher only: Barrage's answers to publishes.
    std::uint64_t publish_accepted() const { return publish_accepted_; }
    std::uint64_t publish_rejected() const { return publish_rejected_; }
    const std::string& first_rejection() const { return first_rejection_; }

private:
    net::awaitable<std::string> open_and_greet(net::ip::address source);
    net::awaitable<std::error_code> read_once();
    net::awaitable<void> read_loop();
    net::awaitable<void> slow_read_loop();
    void on_readable() override;
    // Counts an established session that dropped without being asked to, then closes.
    void stop_reading(std::error_code ec);
    net::awaitable<void> write_loop();
    void start_writing();

    void on_payload(std::string_view payload) override;
    void on_publish_reply(bool accepted, std::string_view body) override;
    bool on_message(std::string_view bytes) override;
    void on_transport_reply(std::string_view framed) override;

    net::any_io_executor executor_;
    std::unique_ptr<Transport> transport_;
    std::unique_ptr<Dialogue> dialogue_;
    SessionSinks sinks_;
    net::steady_timer watchdog_;
    std::string outbox_;     // framed, waiting for the next write
    std::string in_flight_;  // framed, being written
    std::string reply_;      // scratch for what the dialogue owes the server
    Status consumed_;        // the dialogue's verdict on the last bytes read
    bool writing_ = false;
    bool closed_ = false;
    bool established_ = false;
    bool timed_out_ = false;
    bool polled_ = false;          // registered with sinks_.poller
    std::int64_t receipt_ns_ = 0;  // when the current read's bytes arrived; 0 = not yet read
    std::uint64_t publish_accepted_ = 0;
    std::uint64_t publish_rejected_ = 0;
    std::string first_rejection_;
};

}  // namespace barrage::loadgen
