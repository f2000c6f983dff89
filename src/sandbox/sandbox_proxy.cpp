#include "sandbox/sandbox_proxy.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/serialize.hpp>

#include "base/assert.h"
#include "base/log.h"
#include "net/http_client.h"
#include "net/http_error.h"
#include "net/io_threads.h"
#include "net/listeners.h"
#include "sandbox/forwarding.h"
#include "security/connection_caps.h"

namespace barrage::sandbox {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::ip::tcp;

namespace {

std::uint64_t steady_now_us() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

// An answer the proxy makes itself, in the open platform's envelope so the game's client can
// read it; the message names the proxy so nobody blames the upstream for it.
net::HttpResponse proxy_answer(unsigned status, int code, const std::string& message) {
    return net::HttpResponse{
        .status = status,
        .body = json::serialize(json::object{
            {"code", code}, {"message", "sandbox-proxy: " + message}, {"request_id", ""}, {"data", nullptr}})};
}

std::string failure_text(UpstreamFailure failure, const std::error_code& error) {
    switch (failure) {
        case UpstreamFailure::connection_refused: return "connection refused";
        case UpstreamFailure::timeout: return "no answer in time";
        case UpstreamFailure::answer_too_large: return "its answer is larger than the proxy relays";
        case UpstreamFailure::bad_answer: return "its answer is not HTTP";
        case UpstreamFailure::other: return error.message();
    }
    return error.message();
}

std::vector<tcp::endpoint> resolve(const Upstream& upstream) {
    asio::io_context context(1);
    tcp::resolver resolver(context);
    boost::system::error_code ec;
    auto results = resolver.resolve(upstream.host, std::to_string(upstream.port), ec);
    if (ec || results.empty()) {
        throw std::runtime_error("sandbox-proxy: cannot resolve the upstream's host \"" + upstream.host +
                                 "\": " + (ec ? ec.message() : std::string("no address")));
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& result : results) {
        endpoints.push_back(result.endpoint());
    }
    return endpoints;
}

}  // namespace

// Declared in the order they must be built; destroyed in reverse, the loop first, so the
// requests it still holds are torn down while the report and the caps they touch exist.
struct SandboxProxy::Impl {
    ProxyOptions options;
    const Clock& clock;
    std::vector<tcp::endpoint> upstream_endpoints;
    CallReport report;
    std::size_t in_flight = 0;  // the loop's; read on the main thread once it has stopped
    Millis started_at_ms = 0;
    security::ConnectionCaps caps;
    std::unique_ptr<net::IoThreads> loop;
    std::unique_ptr<net::HttpListener> listener;
    bool stopped = false;

    Impl(ProxyOptions proxy_options, const Clock& wall)
        : options(std::move(proxy_options)), clock(wall), report(options.report), caps(caps_options(options)) {}

    static security::ConnectionCaps::Options caps_options(const ProxyOptions& proxy) {
        security::ConnectionCaps::Options out;
        out.per_address_max = proxy.connections_per_address;
        return out;
    }

    // Counts a request while it waits for the upstream, also when its coroutine is torn down
    // with the loop.
    struct InFlight {
        explicit InFlight(std::size_t& count) : counted(count) { ++counted; }
        ~InFlight() { --counted; }
        InFlight(const InFlight&) = delete;
        InFlight& operator=(const InFlight&) = delete;
        std::size_t& counted;
    };

    asio::awaitable<net::HttpResponse> handle(net::HttpRequest request) {
        const std::uint64_t arrived_us = steady_now_us();
        if (request.target.empty() || request.target.front() != '/') {
            report.record_refusal(400);
            co_return proxy_answer(
                400, 4000, "the target must be a path (origin form), not \"" + request.target.substr(0, 64) + "\"");
        }
        if (in_flight >= options.in_flight_max) {
            report.record_refusal(503);
            co_return proxy_answer(503, 5000, "too many requests waiting for the upstream at once");
        }
        const InFlight counted(in_flight);
        const std::string method = request.method;
        const std::string target = request.target;
        const net::HttpClientOptions client{.timeout_ms = options.upstream_timeout_ms,
                                            .answer_header_bytes_max = options.answer_header_bytes_max,
                                            .answer_body_bytes_max = options.answer_bytes_max};
        // Made in its own statement: GCC 12 destroys by-value arguments inside a co_await
        // full-expression twice.
        auto pending =
            net::http_exchange(upstream_endpoints, upstream_request(std::move(request), options.upstream), client);
        auto answer = co_await std::move(pending);
        CallReport::Call call;
        call.method = method;
        call.target = target;
        call.latency_us = steady_now_us() - arrived_us;
        if (!answer) {
            const auto failure = upstream_failure_of(answer.error());
            call.status = 502;
            call.failure = failure;
            report.record(call);
            co_return proxy_answer(
                502, failure == UpstreamFailure::timeout ? 5001 : 5000,
                "upstream " + options.upstream.text() + ": " + failure_text(failure, answer.error()));
        }
        call.status = answer->status;
        call.code = open_code_of(answer->body);
        report.record(call);
        co_return app_answer(std::move(*answer));
    }
};

SandboxProxy::SandboxProxy(ProxyOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

SandboxProxy::~SandboxProxy() {
    if (impl_->loop && !impl_->stopped) {
        stop();
    }
}

void SandboxProxy::start() {
    BARRAGE_ASSERT(!impl_->loop);
    auto& impl = *impl_;
    impl.upstream_endpoints = resolve(impl.options.upstream);
    impl.loop = std::make_unique<net::IoThreads>(1);
    net::ListenerOptions listen;
    listen.address = impl.options.listen.address;
    listen.port = impl.options.listen.port;
    listen.http_body_bytes_max = impl.options.body_bytes_max;
    // No WebSocket here: an upgrade to any path is refused (404). The game's long connection
    // goes straight to the upstream, whose start answer names itself (it sees its own Host).
    listen.ws_path = "";
    listen.caps = &impl.caps;
    listen.on_refusal = [&impl](std::error_code error) { impl.report.record_refusal(net::http_status_for(error)); };
    impl.listener = std::make_unique<net::HttpListener>(
        *impl.loop, std::move(listen), [&impl](net::HttpRequest request) { return impl.handle(std::move(request)); },
        [](std::unique_ptr<net::PacketStream>, std::size_t) {});
    impl.started_at_ms = impl.clock.wall_ms();
    impl.loop->start();
}

std::uint16_t SandboxProxy::port() const {
    BARRAGE_ASSERT(impl_->listener);
    return impl_->listener->port();
}

json::object SandboxProxy::stop() {
    auto& impl = *impl_;
    BARRAGE_ASSERT(impl.loop && !impl.stopped);
    impl.stopped = true;
    impl.listener->stop();
    impl.loop->stop();
    // The loop has joined: its report and count are the main thread's now.
    json::object out = impl.report.to_json();
    out["upstream"] = impl.options.upstream.text();
    out["listen"] = ListenAddress{impl.options.listen.address, port()}.text();
    out["started_at_ms"] = impl.started_at_ms;
    out["stopped_at_ms"] = impl.clock.wall_ms();
    out["unanswered_at_stop"] = impl.in_flight;
    return out;
}

Status write_report(const std::string& path, const json::object& report) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file << json::serialize(report) << "\n";
        file.close();
        if (!file) {
            std::remove(temporary.c_str());
            return std::make_error_code(std::errc::io_error);
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::error_code error(errno, std::generic_category());
        std::remove(temporary.c_str());
        return error;
    }
    return {};
}

}  // namespace barrage::sandbox
