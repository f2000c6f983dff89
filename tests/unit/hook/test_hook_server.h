#pragma once

// A small HTTP hook for the webhook tests: Beast on 127.0.0.1:0 in its own thread, answering
// each request as the test says, or holding it without an answer.

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/mutex.h"

namespace barrage::hook::testing {

struct SeenRequest {
    std::string target;
    std::string content_type;
    std::string timestamp;
    std::string signature;
    std::string body;
};

struct Reply {
    unsigned status = 200;
    std::string body = R"({"action":"allow"})";
    bool hang = false;         // read the request, never answer, keep the connection
    bool close_after = false;  // answer (keep-alive as asked), then close the connection
};

class TestHookServer {
public:
    explicit TestHookServer(std::function<Reply(const SeenRequest&)> answer)
        : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}), answer_(std::move(answer)) {
        boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~TestHookServer() {
        io_.stop();
        thread_.join();
    }
    TestHookServer(const TestHookServer&) = delete;
    TestHookServer& operator=(const TestHookServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
    std::vector<SeenRequest> requests() const {
        MutexLock lock(mutex_);
        return requests_;
    }
    int connections() const { return connections_.load(); }
    // Requests held without an answer, their connections still open.
    int hanging() const { return hanging_.load(); }

private:
    boost::asio::awaitable<void> accept_loop() {
        for (;;) {
            boost::system::error_code ec;
            auto socket = co_await acceptor_.async_accept(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            ++connections_;
            boost::asio::co_spawn(io_, session(std::move(socket)), boost::asio::detached);
        }
    }

    boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        for (;;) {
            boost::system::error_code ec;
            http::request<http::string_body> request;
            co_await http::async_read(socket, buffer, request,
                                      boost::asio::redirect_error(boost::asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            SeenRequest seen{.target = std::string(request.target()),
                             .content_type = std::string(request[http::field::content_type]),
                             .timestamp = std::string(request["X-Barrage-Timestamp"]),
                             .signature = std::string(request["X-Barrage-Signature"]),
                             .body = request.body()};
            {
                MutexLock lock(mutex_);
                requests_.push_back(seen);
            }
            const Reply reply = answer_(seen);
            if (reply.hang) {
                ++hanging_;
                boost::asio::steady_timer forever(socket.get_executor(), boost::asio::steady_timer::time_point::max());
                co_await forever.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
                co_return;
            }
            http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
            response.set(http::field::content_type, "application/json");
            response.body() = reply.body;
            response.keep_alive(request.keep_alive());
            response.prepare_payload();
            co_await http::async_write(socket, response, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
            if (ec || !request.keep_alive()) {
                co_return;
            }
            if (reply.close_after) {
                socket.close(ec);
                co_return;
            }
        }
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = acceptor_.local_endpoint().port();
    std::function<Reply(const SeenRequest&)> answer_;
    mutable Mutex mutex_;
    std::vector<SeenRequest> requests_ BARRAGE_GUARDED_BY(mutex_);
    std::atomic<int> connections_{0};
    std::atomic<int> hanging_{0};
    std::thread thread_;
};

}  // namespace barrage::hook::testing
