// Per-call cost of the server hooks (docs/hooks.md): a Lua hook that allows, one that
// lowercases and rewrites, and a webhook round trip to a loopback hook in this process, one
// call at a time and 32 in flight. Figures in docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <optional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/clock.h"
#include "hook/lua_hook.h"
#include "hook/webhook.h"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using barrage::hook::HookMessage;

HookMessage message() {
    return HookMessage{.room = 1001,
                       .uid = 42,
                       .uname = "viewer42",
                       .role = "viewer",
                       .kind = "danmaku",
                       .text = "Hello THERE, what a GREAT stream 666"};
}

void run_lua(benchmark::State& state, std::string_view source) {
    barrage::hook::LuaHook hook({});
    if (!hook.load(source, "bench")) {
        state.SkipWithError(hook.last_error().c_str());
        return;
    }
    const HookMessage m = message();
    for (auto _ : state) {
        auto verdict = hook.on_message(m);
        benchmark::DoNotOptimize(verdict);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["state_bytes"] = static_cast<double>(hook.memory_bytes());
}

void BM_LuaHookAllow(benchmark::State& state) {
    run_lua(state, "function on_message(m) return true end");
}
BENCHMARK(BM_LuaHookAllow);

void BM_LuaHookLowercaseRewrite(benchmark::State& state) {
    run_lua(state,
            "local banned = {'badword', 'spam'}\n"
            "function on_message(m)\n"
            "  local text = m.text:lower()\n"
            "  for _, word in ipairs(banned) do\n"
            "    if text:find(word, 1, true) then return false, 'not here' end\n"
            "  end\n"
            "  return text\n"
            "end");
}
BENCHMARK(BM_LuaHookLowercaseRewrite);

// The worst a script can do to its I/O thread per message: spend the whole instruction budget
// (1,000,000 by default), then the state is rebuilt from the script.
void BM_LuaHookBudgetSpent(benchmark::State& state) {
    barrage::hook::LuaHook hook({});
    if (!hook.load("function on_message(m) while true do end end", "bench")) {
        state.SkipWithError(hook.last_error().c_str());
        return;
    }
    const HookMessage m = message();
    for (auto _ : state) {
        auto verdict = hook.on_message(m);
        benchmark::DoNotOptimize(verdict);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LuaHookBudgetSpent)->Unit(benchmark::kMillisecond);

// A hook answering allow to everything, on its own thread.
class LoopbackHook {
public:
    LoopbackHook() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
        asio::co_spawn(io_, accept_loop(), asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~LoopbackHook() {
        io_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/"; }

private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            boost::system::error_code ec;
            auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            asio::co_spawn(io_, session(std::move(socket)), asio::detached);
        }
    }
    static asio::awaitable<void> session(asio::ip::tcp::socket socket) {
        boost::beast::flat_buffer buffer;
        for (;;) {
            boost::system::error_code ec;
            http::request<http::string_body> request;
            co_await http::async_read(socket, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            http::response<http::string_body> response{http::status::ok, 11};
            response.set(http::field::content_type, "application/json");
            response.body() = R"({"action":"allow"})";
            response.keep_alive(true);
            response.prepare_payload();
            co_await http::async_write(socket, response, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
        }
    }

    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
};

void run_webhook(benchmark::State& state, int in_flight) {
    LoopbackHook hook;
    barrage::SystemClock clock;
    barrage::hook::WebhookOptions options;
    options.url = hook.url();
    options.secret = "bench-secret";
    options.deadline_ms = 5000;
    barrage::hook::WebhookGuard guard(options, clock);
    asio::io_context io;
    barrage::hook::WebhookClient client(options, guard, clock);
    const HookMessage m = message();
    std::int64_t fell_back = 0;
    for (auto _ : state) {
        for (int i = 0; i < in_flight; ++i) {
            asio::co_spawn(io, client.call(m), [&fell_back](std::exception_ptr, barrage::hook::HookVerdict verdict) {
                fell_back += verdict.fell_back ? 1 : 0;
            });
        }
        io.restart();
        io.run();
    }
    if (fell_back > 0) {
        state.SkipWithError("a call fell back");
    }
    state.SetItemsProcessed(state.iterations() * in_flight);
}

void BM_WebhookSequential(benchmark::State& state) {
    run_webhook(state, 1);
}
BENCHMARK(BM_WebhookSequential)->UseRealTime();

void BM_Webhook32InFlight(benchmark::State& state) {
    run_webhook(state, 32);
}
BENCHMARK(BM_Webhook32InFlight)->UseRealTime();

}  // namespace
