#include "loadgen/http_publisher.h"

#include <algorithm>
#include <optional>
#include <cmath>
#include <deque>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "loadgen/gift_order.h"
#include "loadgen/marker.h"
#include "loadgen/session.h"

namespace barrage::loadgen {
namespace {

// Bytes of an answer body kept for the report's first error: enough for Barrage's JSON error.
constexpr std::size_t kErrorBodyBytesMax = 200;

// Waits on `timer` until it expires or is cancelled; both are normal here.
net::awaitable<void> wait_quietly(net::steady_timer& timer) {
    boost::system::error_code ignored;
    co_await timer.async_wait(net::redirect_error(net::use_awaitable, ignored));
}

}  // namespace

// A request written and not answered yet.
struct InFlight {
    std::int64_t send_ns = 0;
    bool measured = false;
    bool gift = false;
};

// One keep-alive connection. Its sender and reader coroutines hold it by shared_ptr.
struct HttpPublisher::Connection {
    Connection(net::any_io_executor executor, const TransportConfig& config, std::size_t index)
        : transport(executor, config), slot(executor), ordinal(index) {}

    Transport transport;
    HttpResponseParser parser;
    std::deque<InFlight> in_flight;  // in request order, which is answer order
    net::steady_timer slot;          // the sender waits here for a free pipeline slot
    std::string outbox;              // requests of one write
    std::size_t ordinal;             // sends messages ordinal, ordinal + connections, ...
    bool closed = false;
    bool close_after_answer = false;  // the server said Connection: close
};

// Hands what one read brought to the parser, and every answer to the publisher.
class HttpPublisher::AnswerSink final : public TransportSink {
public:
    AnswerSink(HttpPublisher& publisher, Connection& connection) : publisher_(publisher), connection_(connection) {}

    bool on_message(std::string_view bytes) override {
        const std::int64_t now_ns = steady_now_ns();
        return connection_.parser
            .feed(bytes, [&](const HttpAnswer& answer) { publisher_.on_answer(connection_, answer, now_ns); })
            .has_value();
    }
    void on_transport_reply(std::string_view) override {}  // plain TCP: nothing owed

private:
    HttpPublisher& publisher_;
    Connection& connection_;
};

HttpPublisher::HttpPublisher(net::io_context& io, const TransportConfig& transport, HttpPublishPlan plan)
    : io_(io),
      transport_(transport),
      plan_(std::move(plan)),
      warmup_total_(static_cast<std::uint64_t>(std::llround(plan_.rate_per_s * plan_.warmup_s))),
      measured_total_(static_cast<std::uint64_t>(std::llround(plan_.rate_per_s * plan_.duration_s))),
      interval_ns_(1e9 / plan_.rate_per_s),
      all_sent_(io) {
    transport_.kind = TransportKind::tcp;
    transport_.bind_source = false;
    request_head_ = "POST /api/v1/rooms/" + std::to_string(plan_.room) +
                    "/danmaku HTTP/1.1\r\nHost: " + transport_.host.to_string() + ":" +
                    std::to_string(transport_.port) + "\r\nAuthorization: Bearer " + plan_.token +
                    "\r\nContent-Type: application/json\r\nContent-Length: ";
    gift_head_ = "POST /api/v1/rooms/" + std::to_string(plan_.room) +
                 "/gifts HTTP/1.1\r\nHost: " + transport_.host.to_string() + ":" + std::to_string(transport_.port) +
                 "\r\nAuthorization: Bearer " + (plan_.gift_token.empty() ? plan_.token : plan_.gift_token) +
                 "\r\nContent-Type: application/json\r\nContent-Length: ";
}

HttpPublisher::~HttpPublisher() = default;

std::uint64_t HttpPublisher::rejected() const {
    std::uint64_t sum = 0;
    for (const auto& [status, count] : answers_.error_statuses) {
        sum += count;
    }
    return sum;
}

void HttpPublisher::start() {
    net::post(io_, [this] { net::co_spawn(io_, run(), net::detached); });
}

net::awaitable<void> HttpPublisher::run() {
    failure_ = co_await connect_all();
    if (!failure_.empty()) {
        phase_.store(PublishPhase::failed, std::memory_order_release);
        co_return;
    }
    phase_.store(PublishPhase::warming_up, std::memory_order_release);
    const std::int64_t warmup_start_ns = steady_now_ns();
    const std::int64_t measure_start_ns = due_ns(warmup_start_ns, warmup_total_);
    senders_running_ = connections_.size();
    all_sent_.expires_at(net::steady_timer::time_point::max());
    for (const auto& connection : connections_) {
        net::co_spawn(io_, send_loop(connection, warmup_start_ns, measure_start_ns), net::detached);
        net::co_spawn(io_, read_loop(connection), net::detached);
    }
    net::steady_timer until_measuring(io_, std::chrono::nanoseconds(measure_start_ns - steady_now_ns()));
    co_await wait_quietly(until_measuring);
    measure_start_ns_.store(measure_start_ns);
    phase_.store(PublishPhase::measuring, std::memory_order_release);
    if (senders_running_ > 0) {
        co_await wait_quietly(all_sent_);
    }
    measure_end_ns_.store(steady_now_ns());
    const auto closed = std::count_if(connections_.begin(), connections_.end(),
                                      [](const auto& connection) { return connection->closed; });
    if (closed > 0) {
        // failure_ holds the first connection's reason (see close()).
        failure_ = std::to_string(closed) + " of " + std::to_string(connections_.size()) + " " + failure_;
    }
    phase_.store(PublishPhase::done, std::memory_order_release);
}

// Opens every connection, one after another, all within one connect timeout.
net::awaitable<std::string> HttpPublisher::connect_all() {
    for (std::size_t i = 0; i < plan_.connections; ++i) {
        connections_.push_back(std::make_shared<Connection>(io_.get_executor(), transport_, i));
    }
    bool connecting = true;
    net::steady_timer watchdog(io_, plan_.connect_timeout);
    watchdog.async_wait([this, &connecting](boost::system::error_code ec) {
        if (ec || !connecting) {
            return;
        }
        for (const auto& connection : connections_) {
            connection->transport.close();
        }
    });
    std::string failure;
    for (const auto& connection : connections_) {
        if (const auto ec = co_await connection->transport.connect(net::ip::address_v4::loopback())) {
            failure = "connect: " + ec.message();
            break;
        }
    }
    connecting = false;
    watchdog.cancel();
    co_return failure;
}

std::int64_t HttpPublisher::due_ns(std::int64_t phase_start_ns, std::uint64_t index) const {
    return phase_start_ns + std::llround(static_cast<double>(index) * interval_ns_);
}

// Sends this connection's share of the warm-up and then of the measured messages, each when
// due and a pipeline slot is free; everything due at once goes out in one write.
net::awaitable<void> HttpPublisher::send_loop(std::shared_ptr<Connection> connection, std::int64_t warmup_start_ns,
                                              std::int64_t measure_start_ns) {
    struct Phase {
        std::string_view prefix;
        std::uint64_t total;
        std::int64_t start_ns;
        bool measured;
    };
    const Phase phases[] = {{kWarmupPrefix, warmup_total_, warmup_start_ns, false},
                            {kMeasuredPrefix, measured_total_, measure_start_ns, true}};
    const std::size_t stride = connections_.size();
    net::steady_timer due_timer(io_);
    for (const Phase& phase : phases) {
        std::uint64_t index = connection->ordinal;
        while (index < phase.total && !connection->closed) {
            if (const std::int64_t wait = due_ns(phase.start_ns, index) - steady_now_ns(); wait > 0) {
                due_timer.expires_after(std::chrono::nanoseconds(wait));
                co_await wait_quietly(due_timer);
                continue;
            }
            if (connection->in_flight.size() >= plan_.pipeline) {
                connection->slot.expires_at(net::steady_timer::time_point::max());
                co_await wait_quietly(connection->slot);
                continue;
            }
            connection->outbox.clear();
            std::uint64_t batch = 0;
            const std::int64_t now_ns = steady_now_ns();
            std::uint64_t gifts = 0;
            while (index < phase.total && connection->in_flight.size() < plan_.pipeline &&
                   due_ns(phase.start_ns, index) <= now_ns) {
                const bool gift = is_gift(index);
                if (gift) {
                    append_gift_request(connection->outbox, phase.measured, index);
                    ++gifts;
                } else {
                    append_request(connection->outbox, phase.prefix, index, now_ns);
                    ++batch;
                }
                connection->in_flight.push_back({.send_ns = now_ns, .measured = phase.measured, .gift = gift});
                index += stride;
            }
            if (phase.measured) {
                published_.fetch_add(batch, std::memory_order_relaxed);
                answers_.gifts_sent += gifts;
            }
            if (const auto ec = co_await connection->transport.write(connection->outbox)) {
                close(*connection, "write: " + ec.message());
            }
        }
    }
    if (--senders_running_ == 0) {
        all_sent_.cancel();
    }
}

void HttpPublisher::append_request(std::string& out, std::string_view prefix, std::uint64_t index,
                                   std::int64_t now_ns) {
    compose_marker_text(text_, prefix, index, now_ns, plan_.size_bytes);
    // Marker text is [A-Z0-9:x] only: nothing to escape in JSON.
    constexpr std::string_view kBodyStart = R"({"msg":")";
    constexpr std::string_view kBodyEnd = R"("})";
    out.append(request_head_);
    out.append(std::to_string(kBodyStart.size() + text_.size() + kBodyEnd.size()));
    out.append("\r\n\r\n");
    out.append(kBodyStart);
    out.append(text_);
    out.append(kBodyEnd);
}

void HttpPublisher::append_gift_request(std::string& out, bool measured, std::uint64_t index) {
    text_.assign(R"({"gift_id":)");
    text_.append(std::to_string(plan_.gift_id));
    text_.append(R"(,"request_id":")");
    text_.append(plan_.request_prefix);
    text_.append(measured ? "-M" : "-W");
    text_.append(std::to_string(index));
    text_.append(R"("})");
    out.append(gift_head_);
    out.append(std::to_string(text_.size()));
    out.append("\r\n\r\n");
    out.append(text_);
}

// Reads answers until the connection closes; every answer frees a pipeline slot.
net::awaitable<void> HttpPublisher::read_loop(std::shared_ptr<Connection> connection) {
    AnswerSink sink(*this, *connection);
    std::error_code ec;
    while (!connection->closed && !ec && !connection->close_after_answer) {
        ec = co_await connection->transport.read(sink);
        connection->slot.cancel();
    }
    if (connection->close_after_answer) {
        close(*connection, "the server answered Connection: close");
    } else if (ec) {
        close(*connection, "read: " + ec.message());
    }
}

void HttpPublisher::on_answer(Connection& connection, const HttpAnswer& answer, std::int64_t now_ns) {
    if (connection.in_flight.empty()) {
        return;  // an answer to nothing we asked: the server is broken; nothing to time
    }
    const InFlight request = connection.in_flight.front();
    connection.in_flight.pop_front();
    const bool ok = answer.status >= 200 && answer.status < 300;
    if (request.gift && request.measured) {
        ++answers_.gifts_answered;
        answers_.gift_answer_latency.record_us(
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, now_ns - request.send_ns)) / 1000);
        if (const auto order = ok ? order_id_in(answer.body) : std::nullopt) {
            answers_.gifts_accepted.push_back({.order_id = *order, .send_ns = request.send_ns});
        }
    } else if (request.measured) {
        ++answers_.answered;
        answers_.last_answer_ns = now_ns;
        answers_.latency.record_us(static_cast<std::uint64_t>(std::max<std::int64_t>(0, now_ns - request.send_ns)) /
                                   1000);
    }
    if (!ok) {
        if (answers_.error_statuses[answer.status]++ == 0 && answers_.first_error.empty()) {
            answers_.first_error =
                std::to_string(answer.status) + " " + std::string(answer.body.substr(0, kErrorBodyBytesMax));
        }
    }
    connection.close_after_answer = connection.close_after_answer || answer.close;
}

void HttpPublisher::close(Connection& connection, std::string_view reason) {
    if (connection.closed) {
        return;
    }
    connection.closed = true;
    connection.transport.close();
    connection.slot.cancel();
    if (failure_.empty()) {
        failure_ = "publisher connections closed, the first: " + std::string(reason);
    }
}

}  // namespace barrage::loadgen
