#include "net/acceptor.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.h"

namespace barrage::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::int64_t steady_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int open_reserve() {
    return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

// How long accept waits before trying again when it cannot take a connection (no descriptor,
// nobody waiting, or another failure): short next to a client's connect timeout, long enough
// that a full process costs nothing while it lasts.
constexpr auto kFullPause = std::chrono::milliseconds(50);

bool out_of_descriptors(const boost::system::error_code& ec) {
    return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system;
}

}  // namespace

Acceptor::Acceptor(IoThreads& loops, Options options, SocketHandler on_socket)
    : loops_(loops), options_(std::move(options)), acceptor_(loops.context(0)), on_socket_(std::move(on_socket)) {
    tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    // A deep backlog: load tests and reconnect storms open thousands of connections at once.
    acceptor_.listen(asio::socket_base::max_listen_connections);
    // The reserve's accept must never block the loop.
    acceptor_.non_blocking(true);
    port_ = acceptor_.local_endpoint().port();
    reserve_fd_ = open_reserve();
}

Acceptor::~Acceptor() {
    if (reserve_fd_ >= 0) {
        ::close(reserve_fd_);
    }
}

void Acceptor::start() {
    asio::co_spawn(
        acceptor_.get_executor(), [self = shared_from_this()] { return self->accept_loop(); }, asio::detached);
}

void Acceptor::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

Acceptor::Refusal Acceptor::refuse_with_reserve() {
    if (reserve_fd_ < 0) {
        reserve_fd_ = open_reserve();
        return Refusal::no_reserve;
    }
    ::close(reserve_fd_);
    const int refused = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (refused >= 0) {
        ::close(refused);
    }
    reserve_fd_ = open_reserve();
    if (refused < 0) {
        return Refusal::none_waiting;
    }
    log_refusal("out of file descriptors", "a waiting client");
    return Refusal::refused;
}

void Acceptor::report_pressure() {
    const auto now = steady_now_ms();
    if (options_.on_pressure && now - last_pressure_ms_ >= 100) {
        last_pressure_ms_ = now;
        options_.on_pressure();
    }
}

void Acceptor::log_refusal(const char* why, const std::string& address) {
    const auto now = steady_now_ms();
    if (now - last_refusal_log_ms_ < 1000) {
        ++refusals_unlogged_;
        return;
    }
    last_refusal_log_ms_ = now;
    log::warn("port {}: closed a connection from {} at once: {} ({} more refused since the last line)", port_, address,
              why, refusals_unlogged_);
    refusals_unlogged_ = 0;
}

asio::awaitable<void> Acceptor::accept_loop() {
    for (;;) {
        std::size_t loop = next_loop_++ % loops_.size();
        tcp::socket socket(loops_.context(loop));
        boost::system::error_code ec;
        co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            co_return;
        }
        if (out_of_descriptors(ec)) {
            report_pressure();
            const Refusal refusal = refuse_with_reserve();
            if (refusal == Refusal::refused) {
                if (options_.caps != nullptr) {
                    options_.caps->count_descriptor_refusal();
                }
                continue;
            }
            if (refusal == Refusal::none_waiting) {
                // accept(2) takes a descriptor before it looks at the backlog, so at the limit
                // it fails even with nobody waiting, and Asio tries it at once: asking again
                // straight away would spin. Pause; whoever arrives meanwhile waits in the
                // backlog and is refused (or served, if descriptors came back) after it.
                asio::steady_timer pause(acceptor_.get_executor(), kFullPause);
                co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
        }
        if (ec) {
            // Something else (or no reserve left): back off briefly instead of spinning; the
            // pending connections stay in the backlog.
            log::warn("accept on port {} failed: {}", port_, ec.message());
            asio::steady_timer pause(acceptor_.get_executor(), kFullPause);
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        security::ConnectionCaps::Lease lease;
        if (options_.caps != nullptr) {
            auto peer = socket.remote_endpoint(ec);
            auto address = ec ? std::string() : peer.address().to_string();
            auto acquired = options_.caps->acquire(address);
            if (!acquired) {
                log_refusal("too many connections from that address", address);
                socket.close(ec);
                continue;
            }
            lease = std::move(*acquired);
            if (options_.caps->under_pressure()) {
                report_pressure();
            }
        }
        socket.set_option(tcp::no_delay(true), ec);
        asio::post(loops_.context(loop),
                   [this, self = shared_from_this(), loop, socket = std::move(socket),
                    lease = std::move(lease)]() mutable { on_socket_(std::move(socket), loop, std::move(lease)); });
    }
}

}  // namespace barrage::net
