#include "loadgen/session.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loadgen/delivery_recorder.h"
#include "loadgen/token_bucket.h"

namespace barrage::loadgen {
namespace {

// A slow reader on time reads this much at a time, then waits for its bucket: small enough
// that a capped reader at 20 kB/s reads about five times a second, not once in a burst.
constexpr std::size_t kSlowReadChunkBytes = 4 * 1024;

}  // namespace

std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Session::Session(net::any_io_executor executor, const TransportConfig& transport, const DialogueConfig& dialogue,
                 SessionSinks sinks)
    : executor_(executor),
      transport_(std::make_unique<Transport>(executor, transport)),
      dialogue_(make_dialogue(dialogue)),
      sinks_(sinks),
      watchdog_(executor) {}

Session::~Session() = default;

net::awaitable<std::string> Session::establish(net::ip::address source, std::chrono::milliseconds timeout) {
    auto self = shared_from_this();
    // One deadline for connect, upgrade and auth: on expiry the socket closes and whatever
    // operation is in flight fails.
    watchdog_.expires_after(timeout);
    watchdog_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        auto session = weak.lock();
        // Already established: the cancel came after this handler was queued.
        if (ec || !session || session->established_) {
            return;
        }
        session->timed_out_ = true;
        session->transport_->close();
    });
    std::string failure = co_await open_and_greet(source);
    while (failure.empty() && dialogue_->state() == DialogueState::starting) {
        if (const auto ec = co_await read_once()) {
            failure = dialogue_->state() == DialogueState::failed ? std::string(dialogue_->failure())
                                                                  : "closed before accepted: " + ec.message();
        }
    }
    watchdog_.cancel();
    if (failure.empty() && dialogue_->state() == DialogueState::failed) {
        failure = dialogue_->failure();
    }
    if (!failure.empty()) {
        close();
        co_return timed_out_ ? "timeout" : failure;
    }
    established_ = true;
    if (sinks_.read_rate_per_s > 0) {
        net::co_spawn(
            executor_, [self] { return self->slow_read_loop(); }, net::detached);
    } else if (sinks_.poller != nullptr && sinks_.poller->add(transport_->native_handle(), *this)) {
        polled_ = true;
        on_readable();  // bytes that came with the auth reply
    } else {
        net::co_spawn(
            executor_, [self] { return self->read_loop(); }, net::detached);
    }
    co_return std::string{};
}

net::awaitable<std::string> Session::open_and_greet(net::ip::address source) {
    if (const auto ec = co_await transport_->connect(source)) {
        co_return "connect: " + ec.message();
    }
    if (const auto ec = co_await transport_->handshake()) {
        co_return "upgrade: " + ec.message();
    }
    std::string greeting;
    dialogue_->append_greeting(greeting);
    if (!greeting.empty()) {
        send(greeting);
    }
    co_return std::string{};
}

// Reads once; the transport hands every whole message to on_message before it returns.
net::awaitable<std::error_code> Session::read_once() {
    consumed_ = {};
    receipt_ns_ = 0;
    const auto ec = co_await transport_->read(*this);
    if (!consumed_) {
        co_return consumed_.error();
    }
    co_return ec;
}

bool Session::on_message(std::string_view bytes) {
    reply_.clear();
    consumed_ = dialogue_->consume(bytes, *this, reply_);
    if (!reply_.empty()) {
        send(reply_);
    }
    return consumed_.has_value();
}

void Session::on_transport_reply(std::string_view framed) {
    if (closed_) {
        return;
    }
    outbox_.append(framed);
    start_writing();
}

net::awaitable<void> Session::read_loop() {
    auto self = shared_from_this();
    // (The error is kept in a variable: GCC 12 miscompiles a co_await in an if condition.)
    std::error_code ec;
    while (!closed_ && !ec) {
        ec = co_await read_once();
    }
    stop_reading(ec);
}

// Reads like read_loop, but at most read_rate_per_s bytes a second: a chunk at a time, then
// a timer until the bucket holds the next chunk (more at once when the timer came late, see
// SlowReadPacing). What the reader leaves unread stays in the kernel's buffers and then the
// server's, as it would for a viewer on a poor connection.
net::awaitable<void> Session::slow_read_loop() {
    auto self = shared_from_this();
    SlowReadPacing pacing(sinks_.read_rate_per_s, kSlowReadChunkBytes, steady_now_ns());
    net::steady_timer pause(executor_);
    std::error_code ec;
    while (!closed_ && !ec) {
        if (const std::int64_t wait = pacing.wait_ns(steady_now_ns()); wait > 0) {
            pause.expires_after(std::chrono::nanoseconds(wait));
            boost::system::error_code ignored;
            co_await pause.async_wait(net::redirect_error(net::use_awaitable, ignored));
            continue;
        }
        consumed_ = {};
        receipt_ns_ = 0;
        std::size_t bytes_read = 0;
        ec = co_await transport_->read(*this, pacing.allowed(steady_now_ns()), &bytes_read);
        if (!ec && !consumed_) {
            ec = consumed_.error();
        }
        pacing.bucket.take(std::min(bytes_read, pacing.bucket.available(steady_now_ns())), steady_now_ns());
    }
    stop_reading(ec);
}

void Session::on_readable() {
    if (closed_) {
        return;
    }
    consumed_ = {};
    receipt_ns_ = 0;
    std::error_code ec = transport_->read_available(*this);
    if (!ec && !consumed_) {
        ec = consumed_.error();
    }
    if (ec) {
        stop_reading(ec);
    }
}

void Session::stop_reading(std::error_code ec) {
    // A drop we did not ask for is a lost subscriber: its missing deliveries count as loss.
    if (!closed_ && sinks_.lost != nullptr) {
        sinks_.lost->fetch_add(1, std::memory_order_relaxed);
    }
    if (!closed_ && sinks_.lost_reasons != nullptr) {
        ++(*sinks_.lost_reasons)[dialogue_->state() == DialogueState::failed ? std::string(dialogue_->failure())
                                                                             : ec.message()];
    }
    close();
}

void Session::send(std::string_view payload) {
    if (closed_) {
        return;
    }
    transport_->append_message(outbox_, payload);
    start_writing();
}

void Session::start_writing() {
    if (!writing_) {
        writing_ = true;
        net::co_spawn(
            executor_, [self = shared_from_this()] { return self->write_loop(); }, net::detached);
    }
}

// Writes everything queued, one write at a time; what arrives meanwhile joins the next write.
net::awaitable<void> Session::write_loop() {
    while (!outbox_.empty() && !closed_) {
        in_flight_.clear();
        std::swap(in_flight_, outbox_);
        const std::error_code ec = co_await transport_->write(in_flight_);  // see read_loop
        if (ec) {
            close();
        }
    }
    in_flight_.clear();
    writing_ = false;
}

void Session::send_heartbeat() {
    std::string heartbeat;
    dialogue_->append_heartbeat(heartbeat);
    if (!heartbeat.empty()) {
        send(heartbeat);
    }
}

void Session::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    watchdog_.cancel();
    if (polled_) {
        sinks_.poller->remove(transport_->native_handle());
        polled_ = false;
    }
    transport_->close();
    outbox_.clear();
}

void Session::on_payload(std::string_view payload) {
    if (sinks_.recorder == nullptr) {
        return;
    }
    // One clock reading per socket read: a batch of a few hundred pushes arrives together,
    // and a reading per push was a tenth of the generator's CPU at 4M deliveries/s.
    if (receipt_ns_ == 0) {
        receipt_ns_ = steady_now_ns();
    }
    sinks_.recorder->record_payload(payload, receipt_ns_);
}

void Session::on_publish_reply(bool accepted, std::string_view body) {
    if (accepted) {
        ++publish_accepted_;
        return;
    }
    if (publish_rejected_++ == 0) {
        first_rejection_ = body;
    }
}

}  // namespace barrage::loadgen
