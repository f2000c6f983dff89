#include "gateway/client_session.h"

#include <array>
#include <chrono>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "base/log.h"
#include "gateway/auth_request.h"

namespace barrage::gateway {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Auth replies as the live-room clients expect them: {"code":0}, or {"code":-101} plus our
// own code and message for people reading logs.
std::string auth_reply_body(std::error_code error) {
    if (!error) {
        return R"({"code":0})";
    }
    json::object out;
    out["code"] = -101;
    out["message"] = error.message();
    out["error"] = error.category() == barrage_category() ? error.value() : static_cast<int>(Errc::internal);
    return json::serialize(out);
}


void log_failure(std::exception_ptr error) {
    if (!error) {
        return;
    }
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        log::error("session coroutine failed: {}", e.what());
    }
}

}  // namespace

ClientSession::ClientSession(Services& services, SessionRegistry& registry,
                             std::unique_ptr<net::PacketStream> stream, std::size_t loop)
    : services_(services),
      registry_(registry),
      stream_(std::move(stream)),
      loop_(loop),
      writer_wake_(stream_->executor()),
      watchdog_timer_(stream_->executor()) {}

ClientSession::~ClientSession() = default;

void ClientSession::start() {
    auto& counters = services_.hub.counters(loop_);
    LoopCounters::add(counters.connections_open);
    LoopCounters::add(counters.connections_total);
    registry_.sessions_[loop_].insert(this);
    registry_.live_.fetch_add(1, std::memory_order_relaxed);
    deadline_ms_ = services_.clock.steady_ms() + services_.session.auth_timeout_ms;
    auto executor = stream_->executor();
    asio::co_spawn(executor, [self = shared_from_this()] { return self->read_loop(); }, log_failure);
    asio::co_spawn(executor, [self = shared_from_this()] { return self->write_loop(); }, log_failure);
    asio::co_spawn(executor, [self = shared_from_this()] { return self->watchdog(); }, log_failure);
}

asio::awaitable<void> ClientSession::read_loop() {
    std::vector<wire::Packet> packets;
    while (!closing_) {
        packets.clear();
        auto status = co_await stream_->read_packets(packets);
        if (!status) {
            if (!closing_ && status.error().category() == barrage_category()) {
                LoopCounters::add(services_.hub.counters(loop_).protocol_errors_total);
                log::info("closing {} {}: {}", stream_->transport_name(), stream_->remote(),
                          status.error().message());
            }
            close(status.error(), false);
            break;
        }
        for (const auto& packet : packets) {
            if (closing_) {
                break;
            }
            co_await handle(packet);
        }
    }
    // The reader is the last to touch shared state: leave the room here, on our loop.
    if (room_) {
        services_.hub.unsubscribe(loop_, *room_, key_, *this);
        services_.hub.leave(*room_, loop_, key_);
        room_.reset();
    }
    registry_.sessions_[loop_].erase(this);
    registry_.live_.fetch_sub(1, std::memory_order_relaxed);
    LoopCounters::sub(services_.hub.counters(loop_).connections_open);
    wake_writer();
    watchdog_timer_.cancel();
}

asio::awaitable<void> ClientSession::handle(const wire::Packet& packet) {
    auto operation = static_cast<wire::Operation>(packet.operation);
    if (!authenticated_) {
        if (operation != wire::Operation::auth) {
            close(make_error_code(Errc::auth_required), false);
            co_return;
        }
        auto status = co_await authenticate(packet);
        if (!status) {
            LoopCounters::add(services_.hub.counters(loop_).auth_failures_total);
            send_control(wire::Operation::auth_reply, 1, auth_reply_body(status.error()));
            close(status.error(), true);
        }
        co_return;
    }
    switch (operation) {
        case wire::Operation::heartbeat:
            deadline_ms_ = services_.clock.steady_ms() + services_.session.heartbeat_timeout_ms;
            reply_heartbeat();
            break;
        case wire::Operation::send_message: {
            auto pending = send_to_room(services_, *room_, sender_, packet.body);
            auto result = co_await std::move(pending);
            if (!closing_) {
                send_control(wire::Operation::send_reply, packet.sequence, send_result_json(result));
            }
            break;
        }
        default:
            // A second auth or an op we do not serve: ignored, as the live servers do.
            break;
    }
}

asio::awaitable<Status> ClientSession::authenticate(const wire::Packet& packet) {
    auto request = parse_auth_request(packet.body);
    if (!request) {
        co_return request.error();
    }
    if (!request->key.empty()) {
        auto sender = sender_from_token(services_, request->key);
        if (!sender) {
            co_return sender.error();
        }
        sender_ = std::move(*sender);
    }
    room::EncodingKey key{request->dialect, room::push_version_for(request->protover)};
    auto pending = services_.hub.join(JoinRequest{request->room, loop_, key, sender_, request->last_sequence});
    auto joined = co_await std::move(pending);
    if (!joined) {
        co_return joined.error();
    }
    if (closing_) {
        // Closed while the home loop answered: give the place back.
        services_.hub.leave(request->room, loop_, key);
        co_return Status{};
    }
    // Subscribe before this handler returns: every batch the home loop posts after the join
    // reply finds us in the list, and none posted before it does.
    room_ = request->room;
    key_ = key;
    services_.hub.subscribe(loop_, *room_, key_, *this, joined->online);
    authenticated_ = true;
    deadline_ms_ = services_.clock.steady_ms() + services_.session.heartbeat_timeout_ms;
    // The watchdog sleeps until the auth deadline; wake it so a heartbeat timeout shorter
    // than the auth timeout takes effect now.
    watchdog_timer_.cancel();
    send_control(wire::Operation::auth_reply, 1, auth_reply_body({}));
    for (auto& frame : joined->replay) {
        enqueue(std::move(frame));
    }
    co_return Status{};
}

void ClientSession::reply_heartbeat() {
    LoopCounters::add(services_.hub.counters(loop_).heartbeats_total);
    auto online = services_.hub.online_on(loop_, *room_);
    auto count = static_cast<std::uint32_t>(std::min<std::uint64_t>(online, UINT32_MAX));
    std::array<char, 4> body{static_cast<char>(count >> 24), static_cast<char>(count >> 16),
                             static_cast<char>(count >> 8), static_cast<char>(count)};
    send_control(wire::Operation::heartbeat_reply, 0, std::string_view(body.data(), body.size()));
}

void ClientSession::send_control(wire::Operation operation, std::uint32_t sequence, std::string_view body) {
    std::string bytes;
    wire::append_packet(bytes, wire::ProtocolVersion::control, operation, sequence, body);
    enqueue(wire::make_frame(std::move(bytes)));
}

void ClientSession::deliver(const wire::FramePtr& frame) { enqueue(frame); }

void ClientSession::enqueue(wire::FramePtr frame) {
    if (closing_) {
        return;
    }
    if (queued_bytes_ + frame->bytes.size() > services_.session.outbound_bytes_max) {
        LoopCounters::add(services_.hub.counters(loop_).outbound_overflow_total);
        log::warn("closing {} {}: outbound queue over {} bytes (client too slow)",
                  stream_->transport_name(), stream_->remote(), services_.session.outbound_bytes_max);
        close(make_error_code(Errc::outbound_overflow), false);
        return;
    }
    queued_bytes_ += frame->bytes.size();
    queue_.push_back(std::move(frame));
    wake_writer();
}

void ClientSession::wake_writer() {
    if (writer_waiting_) {
        writer_waiting_ = false;
        writer_wake_.cancel();
    }
}

void ClientSession::close(std::error_code reason, bool graceful) {
    if (closing_) {
        return;
    }
    closing_ = true;
    graceful_ = graceful;
    close_reason_ = reason;
    if (!graceful) {
        stream_->abort();
    }
    wake_writer();
    watchdog_timer_.cancel();
}

void ClientSession::shut_down() { close(make_error_code(Errc::shutting_down), true); }

asio::awaitable<void> ClientSession::write_loop() {
    std::vector<wire::FramePtr> batch;
    for (;;) {
        if (queue_.empty()) {
            if (closing_) {
                break;
            }
            writer_waiting_ = true;
            writer_wake_.expires_at(asio::steady_timer::time_point::max());
            boost::system::error_code ignored;
            co_await writer_wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            writer_waiting_ = false;
            continue;
        }
        if (closing_ && !graceful_) {
            break;
        }
        batch.swap(queue_);
        auto status = co_await stream_->write(batch);
        for (const auto& frame : batch) {
            queued_bytes_ -= frame->bytes.size();
        }
        batch.clear();
        if (!status) {
            close(status.error(), false);
            break;
        }
    }
    queue_.clear();
    queued_bytes_ = 0;
    if (graceful_) {
        co_await stream_->close();
    } else {
        stream_->abort();
    }
}

asio::awaitable<void> ClientSession::watchdog() {
    while (!closing_) {
        Millis now = services_.clock.steady_ms();
        if (now >= deadline_ms_) {
            auto reason = authenticated_ ? Errc::heartbeat_timeout : Errc::auth_timeout;
            log::info("closing {} {}: {}", stream_->transport_name(), stream_->remote(),
                      make_error_code(reason).message());
            close(make_error_code(reason), false);
            break;
        }
        // Heartbeats only move deadline_ms_; the timer re-arms here, so a busy connection costs
        // no timer operation per heartbeat.
        watchdog_timer_.expires_after(std::chrono::milliseconds(deadline_ms_ - now));
        boost::system::error_code ignored;
        co_await watchdog_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
}

SessionRegistry::SessionRegistry(Services& services, std::size_t loops)
    : services_(services), sessions_(loops) {}

void SessionRegistry::accept(std::unique_ptr<net::PacketStream> stream, std::size_t loop) {
    std::make_shared<ClientSession>(services_, *this, std::move(stream), loop)->start();
}

void SessionRegistry::shut_down_all(net::IoThreads& loops) {
    for (std::size_t loop = 0; loop < sessions_.size(); ++loop) {
        asio::post(loops.context(loop), [this, loop] {
            auto sessions = sessions_[loop];
            for (auto* session : sessions) {
                session->shut_down();
            }
        });
    }
}

}  // namespace barrage::gateway
