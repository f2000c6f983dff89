// The sandbox proxy's side towards its upstream, on Beast (as http_listener.cpp is the side
// towards clients): the only other translation unit of src/ that includes Beast's HTTP headers.

#include "net/http_client.h"

#include <chrono>
#include <string>
#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace barrage::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

// Beast's and Asio's errors as the few a caller tells apart (http_client.h).
std::error_code classify(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) {
        return std::make_error_code(std::errc::timed_out);
    }
    if (ec == asio::error::connection_refused) {
        return std::make_error_code(std::errc::connection_refused);
    }
    if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        return std::make_error_code(std::errc::message_size);
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
        // The server closed before its answer was whole.
        return std::make_error_code(std::errc::connection_aborted);
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
        return std::make_error_code(std::errc::bad_message);
    }
    return std::error_code(ec);
}

http::request<http::string_body> to_beast(HttpRequest request) {
    http::request<http::string_body> out;
    out.method_string(request.method);
    out.target(request.target);
    out.version(11);
    for (const auto& [name, value] : request.headers) {
        out.insert(name, value);
    }
    out.body() = std::move(request.body);
    out.keep_alive(false);
    // Content-Length from the body, for every method: the bytes go as they came.
    out.content_length(out.body().size());
    return out;
}

HttpResponse from_beast(http::response<http::string_body>& answer) {
    HttpResponse out{.status = answer.result_int(),
                     .content_type = std::string(answer[http::field::content_type]),
                     .body = std::move(answer.body())};
    for (const auto& field : answer) {
        const auto name = field.name();
        if (name == http::field::content_type || name == http::field::content_length ||
            name == http::field::transfer_encoding) {
            continue;
        }
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return out;
}

}  // namespace

asio::awaitable<Result<HttpResponse>> http_exchange(std::vector<tcp::endpoint> endpoints, HttpRequest request,
                                                    HttpClientOptions options) {
    const bool head = request.method == "HEAD";
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    // One deadline for connect, write and read together.
    stream.expires_after(std::chrono::milliseconds(options.timeout_ms));
    boost::system::error_code ec;
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return classify(ec);
    }
    auto outgoing = to_beast(std::move(request));
    co_await http::async_write(stream, outgoing, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return classify(ec);
    }
    http::response_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.answer_header_bytes_max));
    parser.body_limit(options.answer_body_bytes_max);
    parser.skip(head);
    beast::flat_buffer buffer;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return classify(ec);
    }
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    auto answer = parser.release();
    co_return from_beast(answer);
}

}  // namespace barrage::net
