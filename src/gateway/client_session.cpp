#include "gateway/client_session.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <exception>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "base/log.h"
#include "gateway/auth_request.h"
#include "wire/codec.h"

namespace barrage::gateway {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// How long a graceful close (shutdown, auth failure) may take before the socket is dropped.
constexpr Millis kGracefulCloseMs = 5000;

// Packets a reader handles before it lets the loop's other connections run: a burst within
// the packet rate still cannot hold the loop for long.
constexpr std::size_t kPacketsPerTurn = 16;

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

std::string describe(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

void log_failure(std::exception_ptr error) {
    if (error) {
        log::error("session coroutine failed: {}", describe(error));
    }
}

}  // namespace

ClientSession::ClientSession(Services& services, SessionRegistry& registry, std::unique_ptr<net::PacketStream> stream,
                             std::size_t loop)
    : services_(services), registry_(registry), stream_(std::move(stream)), loop_(loop) {}

ClientSession::~ClientSession() = default;

void ClientSession::start() {
    auto& counters = services_.hub.counters(loop_);
    LoopCounters::add(counters.connections_open);
    LoopCounters::add(counters.connections_total);
    registry_.sessions_[loop_].insert(this);
    registry_.live_.fetch_add(1, std::memory_order_relaxed);
    const Millis now = services_.clock.steady_ms();
    deadline_ms_ = now + services_.session.auth_timeout_ms;
    packets_ = security::TokenBucket::full(services_.session.packet_rate, now);
    auto executor = stream_->executor();
    // One coroutine per connection: the reader. Writes happen in place and wait only when the
    // socket is full, and deadlines are checked by the registry's sweep, so an idle connection
    // holds no writer and no timer. An exception out of the reader ends this connection alone:
    // Departure has already taken it out of the room and the registry by the time it gets here.
    asio::co_spawn(
        executor, [self = shared_from_this()] { return self->read_loop(); },
        [self = shared_from_this()](std::exception_ptr error) {
            if (!error) {
                return;
            }
            LoopCounters::add(self->services_.hub.counters(self->loop_).sessions_failed_total);
            log::error("closing {} {}: its reader failed: {}", self->stream_->transport_name(), self->stream_->remote(),
                       describe(error));
        });
}

// Leaves the room and the registry when the reader's frame unwinds, whether the loop returned
// or an exception (a std::bad_alloc under memory pressure, a fault injected in tests) escaped
// it: the registry's sweep must never find a session that is gone. The server ends every
// reader before it stops the loops (SessionRegistry::abort_all), so this never runs after the
// hub and registry are gone.
struct ClientSession::Departure {
    ClientSession& session;
    ~Departure() { session.depart(); }
};

// The reader's frame is what every idle connection holds for its whole life, and GCC keeps
// every local of a coroutine body in its frame, suspended or not: so this body only waits,
// and the work between two reads (judging the read, handling the packets) lives in a plain
// function and a coroutine whose frame exists only while packets are being handled.
asio::awaitable<void> ClientSession::read_loop() {
    const Departure departure{*this};
    std::vector<wire::Packet> packets;
    while (!closing_) {
        packets.clear();
        if (!accept_read(co_await stream_->read_packets(packets, packet_budget()), packets.size())) {
            break;
        }
        co_await handle_all(packets);
    }
}

bool ClientSession::accept_read(const Status& status, std::size_t packet_count) {
    if (!status) {
        const bool ours = status.error().category() == barrage_category();
        if (!closing_ && ours) {
            LoopCounters::add(services_.hub.counters(loop_).protocol_errors_total);
            log::info("closing {} {}: {}", stream_->transport_name(), stream_->remote(), status.error().message());
        }
        close(status.error(), ours ? CloseMode::refuse : CloseMode::abort);
        return false;
    }
    if (!packet_rate_exempt_) {
        (void)packets_.take(services_.session.packet_rate, services_.clock.steady_ms(),
                            static_cast<double>(packet_count));
    }
    return true;
}

asio::awaitable<void> ClientSession::handle_all(const std::vector<wire::Packet>& packets) {
    for (std::size_t handled = 0; handled < packets.size() && !closing_; ++handled) {
        if (handled != 0 && handled % kPacketsPerTurn == 0) {
            co_await asio::post(stream_->executor(), asio::use_awaitable);
        }
        if (services_.session.packet_probe) {
            services_.session.packet_probe(packets[handled]);
        }
        co_await handle(packets[handled]);
    }
}

void ClientSession::depart() noexcept {
    if (room_) {
        if (subscribed_) {
            services_.hub.unsubscribe(loop_, *room_, key_, *this);
        }
        services_.hub.leave(*room_, loop_, key_);
        room_.reset();
    }
    if (!game_id_.empty()) {
        services_.hub.remove_game_member(loop_, game_id_, *this);
    }
    registry_.sessions_[loop_].erase(this);
    registry_.live_.fetch_sub(1, std::memory_order_relaxed);
    LoopCounters::sub(services_.hub.counters(loop_).connections_open);
    if (!closing_) {
        close(make_error_code(Errc::shutting_down), CloseMode::abort);
    }
}

std::size_t ClientSession::packet_budget() {
    if (packet_rate_exempt_) {
        return SIZE_MAX;
    }
    return packets_.available(services_.session.packet_rate, services_.clock.steady_ms());
}

asio::awaitable<void> ClientSession::handle(const wire::Packet& packet) {
    auto operation = static_cast<wire::Operation>(packet.operation);
    if (!authenticated_) {
        if (operation != wire::Operation::auth) {
            close(make_error_code(Errc::auth_required), CloseMode::refuse);
            co_return;
        }
        auto status = co_await authenticate(packet);
        if (!status) {
            LoopCounters::add(services_.hub.counters(loop_).auth_failures_total);
            send_control(wire::Operation::auth_reply, 1, auth_reply_body(status.error()));
            close(status.error(), CloseMode::flush);
        }
        co_return;
    }
    switch (operation) {
        case wire::Operation::heartbeat: on_heartbeat(services_.clock.steady_ms()); break;
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
    std::optional<open::GameTicket> game;
    if (request->open_game) {
        // A game's key, not a user's: it names the game, and the game watches anonymously.
        game = services_.game_tickets != nullptr ? services_.game_tickets->verify(request->key) : std::nullopt;
        if (!game) {
            co_return make_error_code(Errc::token_bad_signature);
        }
        if (game->room != request->room) {
            co_return make_error_code(Errc::forbidden);
        }
    } else if (!request->key.empty()) {
        auto sender = sender_from_token(services_, request->key);
        if (!sender) {
            co_return sender.error();
        }
        sender_ = std::move(*sender);
    }
    if (services_.joins != nullptr) {
        if (auto admitted = services_.joins->admit(stream_->address(), sender_.uid); !admitted) {
            LoopCounters::add(services_.hub.counters(loop_).joins_refused_total);
            co_return admitted.error();
        }
    }
    room::EncodingKey key{request->dialect, room::push_version_for(request->protover)};
    auto pending = services_.hub.join(JoinRequest{request->room, loop_, key, sender_, request->last_sequence, game});
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
    user = sender_.uid;
    subscribed_ = request->receive;
    if (subscribed_) {
        services_.hub.subscribe(loop_, *room_, key_, *this, joined->online);
    }
    if (game) {
        game_id_ = std::move(game->game_id);
        services_.hub.add_game_member(loop_, game_id_, *this);
    }
    authenticated_ = true;
    packet_rate_exempt_ = sender_.role >= services_.session.packet_rate_exempt_from;
    deadline_ms_ = services_.clock.steady_ms() + services_.session.heartbeat_timeout_ms;
    send_control(wire::Operation::auth_reply, 1, auth_reply_body({}));
    if (subscribed_) {
        for (auto& frame : joined->replay) {
            enqueue(std::move(frame));
        }
    }
    co_return Status{};
}

void ClientSession::on_heartbeat(Millis now_ms) {
    deadline_ms_ = now_ms + services_.session.heartbeat_timeout_ms;
    if (now_ms - last_heartbeat_reply_ms_ >= services_.session.heartbeat_reply_interval_ms ||
        last_heartbeat_reply_ms_ == 0) {
        reply_heartbeat(now_ms);
        return;
    }
    if (!heartbeat_owed_) {
        heartbeat_owed_ = true;
        LoopCounters::add(services_.hub.counters(loop_).heartbeats_deferred_total);
    }
}

void ClientSession::reply_heartbeat(Millis now_ms) {
    last_heartbeat_reply_ms_ = now_ms;
    heartbeat_owed_ = false;
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

void ClientSession::deliver(const wire::FramePtr& frame) {
    enqueue(frame);
}

void ClientSession::end_game(std::string_view body) {
    if (closing_) {
        return;
    }
    const std::array bodies{std::string(body)};
    enqueue(wire::make_frame(wire::encode_push_batch(bodies, key_.protover)));
    close(make_error_code(Errc::game_ended), CloseMode::flush);
}

void ClientSession::kick(std::error_code why) {
    if (closing_) {
        return;
    }
    log::info("closing {} {}: user {} {}", stream_->transport_name(), stream_->remote(), sender_.uid.value,
              why.message());
    close(why, CloseMode::flush);
}

void ClientSession::enqueue(wire::FramePtr frame) {
    if (closing_) {
        return;
    }
    if (queued_bytes_ + frame->bytes.size() > services_.session.outbound_bytes_max) {
        LoopCounters::add(services_.hub.counters(loop_).outbound_overflow_total);
        // Past the soft bound it was sent sampled batches (gateway/local_fanout.h): even those,
        // gifts and moderation included, did not fit. It resumes from history with last_seq.
        log::warn("closing {} {}: outbound queue over {} bytes: too slow even for sampled batches",
                  stream_->transport_name(), stream_->remote(), services_.session.outbound_bytes_max);
        close(make_error_code(Errc::outbound_overflow), CloseMode::abort);
        return;
    }
    queued_bytes_ += frame->bytes.size();
    queue_.push_back(std::move(frame));
    if (!writing_) {
        write_next();
    }
}

void ClientSession::close(std::error_code reason, CloseMode mode) {
    if (closing_) {
        return;
    }
    closing_ = true;
    graceful_ = mode != CloseMode::abort;
    close_reason_ = reason;
    if (auto cause = close_cause_index(reason)) {
        LoopCounters::add(services_.hub.counters(loop_).closed_by_cause[*cause]);
    }
    // A graceful close writes what is queued and lets the client answer, but not for ever: a
    // client that stopped reading is cut off by the sweep after this long.
    deadline_ms_ = services_.clock.steady_ms() + kGracefulCloseMs;
    if (mode == CloseMode::refuse) {
        // What was queued is not worth sending to a client we are refusing; the reason is.
        queue_.clear();
        stream_->fail(reason);
    }
    if (mode == CloseMode::abort) {
        // Drop what is queued; an in-flight write fails with the abort and ends the chain.
        stream_->abort();
        queue_.clear();
        return;
    }
    if (!writing_) {
        finish_close();
    }
}

void ClientSession::shut_down() {
    close(make_error_code(Errc::shutting_down), CloseMode::flush);
}

void ClientSession::check_deadline(Millis now_ms) {
    if (heartbeat_owed_ && !closing_ &&
        now_ms - last_heartbeat_reply_ms_ >= services_.session.heartbeat_reply_interval_ms) {
        reply_heartbeat(now_ms);
    }
    if (now_ms < deadline_ms_) {
        return;
    }
    if (closing_) {
        if (graceful_ && !aborted_) {
            aborted_ = true;
            log::info("closing {} {}: graceful close timed out", stream_->transport_name(), stream_->remote());
            stream_->abort();
        }
        return;
    }
    auto reason = authenticated_ ? Errc::heartbeat_timeout : Errc::auth_timeout;
    log::info("closing {} {}: {}", stream_->transport_name(), stream_->remote(), make_error_code(reason).message());
    close(make_error_code(reason), CloseMode::refuse);
}

void ClientSession::write_next() {
    while (!queue_.empty() && !(closing_ && !graceful_)) {
        in_flight_.swap(queue_);
        auto started = stream_->start_write(in_flight_, *this);
        if (started && *started == net::WriteProgress::waiting) {
            // The socket is full: the rest goes out when it drains (on_written).
            LoopCounters::add(services_.hub.counters(loop_).writes_waited_total);
            writing_ = true;
            if (!unsent_limited_) {
                // It fell behind: from now on its backlog waits here, where shedding reaches it.
                unsent_limited_ = true;
                stream_->limit_unsent(services_.session.behind_unsent_bytes);
            }
            return;
        }
        release_in_flight();
        if (!started) {
            close(started.error(), CloseMode::abort);
            return;
        }
    }
    writing_ = false;
    if (closing_ && graceful_) {
        finish_close();
    }
}

void ClientSession::on_written(Status status) {
    writing_ = false;
    release_in_flight();
    if (!status) {
        close(status.error(), CloseMode::abort);
        return;
    }
    write_next();
}

void ClientSession::release_in_flight() {
    for (const auto& frame : in_flight_) {
        queued_bytes_ -= frame->bytes.size();
    }
    in_flight_.clear();
}

void ClientSession::finish_close() {
    if (close_started_) {
        return;
    }
    close_started_ = true;
    // A WebSocket close is a small handshake; everything queued has been written by now.
    asio::co_spawn(
        stream_->executor(), [self = shared_from_this()] { return self->stream_->close(); }, log_failure);
}

SessionRegistry::SessionRegistry(Services& services, net::IoThreads& loops)
    : services_(services), sessions_(loops.size()) {
    for (std::size_t loop = 0; loop < loops.size(); ++loop) {
        sweepers_.push_back(std::make_unique<asio::steady_timer>(loops.context(loop)));
    }
    // Deadlines are checked a few times per the shortest timeout, at least once a second.
    sweep_interval_ms_ = std::clamp<Millis>(
        std::min(services.session.auth_timeout_ms, services.session.heartbeat_timeout_ms) / 4, 5, 1000);
}

SessionRegistry::~SessionRegistry() = default;

void SessionRegistry::start() {
    for (std::size_t loop = 0; loop < sweepers_.size(); ++loop) {
        asio::post(sweepers_[loop]->get_executor(), [this, loop] { schedule_sweep(loop); });
    }
}

void SessionRegistry::stop() {
    for (std::size_t loop = 0; loop < sweepers_.size(); ++loop) {
        asio::post(sweepers_[loop]->get_executor(), [this, loop] {
            stopped_ = true;
            sweepers_[loop]->cancel();
        });
    }
}

void SessionRegistry::schedule_sweep(std::size_t loop) {
    auto& timer = *sweepers_[loop];
    timer.expires_after(std::chrono::milliseconds(sweep_interval_ms_));
    timer.async_wait([this, loop](boost::system::error_code ec) {
        if (ec || stopped_) {
            return;
        }
        // One timer per loop instead of one per connection. Closing only aborts sockets; the
        // sessions leave this set later, from their own readers, so iterating is safe.
        Millis now = services_.clock.steady_ms();
        for (auto* session : sessions_[loop]) {
            session->check_deadline(now);
        }
        schedule_sweep(loop);
    });
}

void SessionRegistry::accept(std::unique_ptr<net::PacketStream> stream, std::size_t loop) {
    std::make_shared<ClientSession>(services_, *this, std::move(stream), loop)->start();
}

bool SessionRegistry::abort_all(net::IoThreads& loops, Millis wait_ms) {
    for (std::size_t loop = 0; loop < sessions_.size(); ++loop) {
        asio::post(loops.context(loop), [this, loop] {
            for (auto* session : sessions_[loop]) {
                session->close(make_error_code(Errc::shutting_down), ClientSession::CloseMode::abort);
            }
        });
    }
    // Closing cancels what each reader waits for; a reader waiting for another loop or the
    // ledger ends when that answers, which the running loops make quick.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    while (live() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (live() > 0) {
        log::error("{} connections still had a reader running at shutdown", live());
        return false;
    }
    return true;
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
