// The webhook client on Beast: with net/http_listener.cpp and net/http_client.cpp the only
// translation units of src/ that include Beast's HTTP headers.

#include "hook/webhook.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "base/assert.h"
#include "crypto/constant_time.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"

namespace barrage::hook {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;

namespace {

// An answer is one small JSON object; past these bounds it is a bad answer.
constexpr std::size_t kAnswerBodyBytesMax = 16 * 1024;
constexpr std::uint32_t kAnswerHeaderBytesMax = 8 * 1024;
// Keep-alive connections one thread keeps for the next calls; busier moments open more and
// close the extra ones after use.
constexpr std::size_t kIdleConnectionsMax = 32;
constexpr std::string_view kSignaturePrefix = "sha256=";

// The port as the resolver gets it (no leading zeros), or "" when it is not 1..65535.
std::string port_of(std::string_view text) {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || port < 1 || port > 65535) {
        return {};
    }
    return std::to_string(port);
}

// A host name or IPv4 address; or, `bracketed`, an IPv6 address.
bool is_host(std::string_view host, bool bracketed) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [bracketed](char c) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return bracketed ? alnum || c == ':' || c == '.' : alnum || c == '.' || c == '-' || c == '_';
    });
}

// Printable ASCII without spaces: what may go into the request line as it is.
bool is_target(std::string_view target) {
    return std::all_of(target.begin(), target.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string_view connect_fault(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) {
        return hook_fault::deadline;
    }
    // Refused, no route, no such host: nobody to ask.
    return hook_fault::unreachable;
}

std::string_view exchange_fault(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) {
        return hook_fault::deadline;
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
        // Over a bound, or not HTTP/1.x.
        return hook_fault::bad_answer;
    }
    return hook_fault::error;
}

// A reused keep-alive connection the hook closed meanwhile: worth one more try on a new one.
bool is_stale(const boost::system::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe;
}

}  // namespace

std::optional<HookVerdict> parse_webhook_answer(std::string_view body) {
    boost::system::error_code ec;
    const json::value value = json::parse(body, ec);
    if (ec || !value.is_object()) {
        return std::nullopt;
    }
    const json::object& object = value.get_object();
    const json::value* action = object.if_contains("action");
    if (action == nullptr || !action->is_string()) {
        return std::nullopt;
    }
    HookVerdict verdict;
    const json::string& name = action->get_string();
    if (name == "allow") {
        return verdict;
    }
    if (name == "reject") {
        verdict.action = HookAction::reject;
        if (const json::value* reason = object.if_contains("reason")) {
            if (!reason->is_string() || !is_valid_reason(reason->get_string())) {
                return std::nullopt;
            }
            verdict.reason = std::string(reason->get_string());
        }
        return verdict;
    }
    if (name == "rewrite") {
        const json::value* text = object.if_contains("text");
        if (text == nullptr || !text->is_string() || !is_valid_rewrite(text->get_string())) {
            return std::nullopt;
        }
        verdict.action = HookAction::rewrite;
        verdict.text = std::string(text->get_string());
        return verdict;
    }
    return std::nullopt;
}

Result<WebhookTarget> parse_webhook_url(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    const auto invalid = std::make_error_code(std::errc::invalid_argument);
    if (url.size() < kScheme.size() || !std::equal(kScheme.begin(), kScheme.end(), url.begin(), [](char a, char b) {
            return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
        })) {
        return invalid;
    }
    url.remove_prefix(kScheme.size());
    if (url.find('#') != std::string_view::npos) {
        return invalid;
    }
    const std::size_t authority_end = std::min(url.find('/'), url.find('?'));
    std::string_view authority = url.substr(0, authority_end);
    const std::string_view rest = authority_end == std::string_view::npos ? "" : url.substr(authority_end);
    if (authority.empty() || authority.find('@') != std::string_view::npos) {
        return invalid;
    }
    WebhookTarget target;
    std::string_view port = "80";
    const bool bracketed = authority.front() == '[';
    if (bracketed) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return invalid;
        }
        target.host = std::string(authority.substr(1, close - 1));
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return invalid;
            }
            port = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.rfind(':');
        target.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
        }
    }
    target.port = port_of(port);
    if (!is_host(target.host, bracketed) || target.port.empty() || !is_target(rest)) {
        return invalid;
    }
    target.target = rest.empty() ? "/" : rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
    return target;
}

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string signed_text;
    signed_text.reserve(timestamp.size() + 1 + body.size());
    signed_text.append(timestamp).append(".").append(body);
    return std::string(kSignaturePrefix) + crypto::to_hex(crypto::bytes_of(crypto::hmac_sha256(secret, signed_text)));
}

bool verify_webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body,
                              std::string_view header) {
    return crypto::equal_in_constant_time(webhook_signature(secret, timestamp, body), header);
}

std::string webhook_body(const HookMessage& message) {
    json::object object;
    object["room"] = message.room;
    object["uid"] = message.uid;
    object["uname"] = message.uname;
    object["role"] = message.role;
    object["kind"] = message.kind;
    object["text"] = message.text;
    return json::serialize(object);
}

// A connection to the hook, kept alive between calls.
class WebhookConnection {
public:
    explicit WebhookConnection(const asio::any_io_executor& executor) : stream(executor) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
};

struct WebhookClient::Exchange {
    http::request<http::string_body> request;
    std::chrono::steady_clock::time_point deadline;
    std::string_view fault;  // empty when an answer came
    unsigned status = 0;
    std::string body;
};

WebhookClient::WebhookClient(WebhookOptions options, WebhookGuard& guard, const Clock& clock)
    : options_(std::move(options)), guard_(guard), clock_(clock) {
    auto target = parse_webhook_url(options_.url);
    BARRAGE_ASSERT(target.has_value());
    target_ = std::move(*target);
}

WebhookClient::~WebhookClient() = default;

asio::awaitable<HookVerdict> WebhookClient::call(const HookMessage& message) {
    // Not a coroutine itself: the body is made now, so `message` need not outlive the call.
    return ask(webhook_body(message));
}

asio::awaitable<HookVerdict> WebhookClient::ask(std::string body) {
    owner_.check();
    WebhookTicket ticket = guard_.admit();
    if (!ticket.granted()) {
        HookVerdict verdict = fallback_verdict(options_.fallback, ticket.refusal());
        counters_.record(verdict);
        co_return verdict;
    }
    Exchange exchange;
    exchange.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.deadline_ms);
    const std::string timestamp = std::to_string(clock_.wall_ms());
    auto& request = exchange.request;
    request.method(http::verb::post);
    request.target(target_.target);
    request.version(11);
    const std::string host =
        target_.host.find(':') == std::string::npos ? target_.host : "[" + target_.host + "]";  // IPv6
    request.set(http::field::host, target_.port == "80" ? host : host + ":" + target_.port);
    request.set(http::field::content_type, "application/json");
    request.set("X-Barrage-Timestamp", timestamp);
    request.set("X-Barrage-Signature", webhook_signature(options_.secret, timestamp, body));
    request.keep_alive(true);
    request.body() = std::move(body);
    request.prepare_payload();
    co_await send(exchange);

    std::optional<HookVerdict> answer;
    std::string_view fault = exchange.fault;
    if (fault.empty() && exchange.status / 100 != 2) {
        fault = hook_fault::http_status;
    }
    if (fault.empty()) {
        answer = parse_webhook_answer(exchange.body);
        if (!answer) {
            fault = hook_fault::bad_answer;
        }
    }
    HookVerdict verdict;
    if (fault.empty()) {
        ticket.succeeded();
        verdict = std::move(*answer);
    } else {
        ticket.failed();
        verdict = fallback_verdict(options_.fallback, fault);
    }
    counters_.record(verdict);
    co_return verdict;
}

asio::awaitable<void> WebhookClient::send(Exchange& exchange) {
    const auto executor = co_await asio::this_coro::executor;
    boost::system::error_code ec;
    // A reused connection the hook has closed gets one more try on a new one.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = !idle_.empty();
        std::unique_ptr<WebhookConnection> connection;
        if (reused) {
            connection = std::move(idle_.back());
            idle_.pop_back();
        } else {
            connection = std::make_unique<WebhookConnection>(executor);
            // The deadline's timer closes the socket, whatever step it cuts short.
            connection->stream.expires_at(exchange.deadline);
            tcp::resolver resolver(executor);
            const auto endpoints = co_await resolver.async_resolve(target_.host, target_.port,
                                                                   asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                exchange.fault = hook_fault::unreachable;
                co_return;
            }
            co_await connection->stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                exchange.fault = connect_fault(ec);
                co_return;
            }
        }
        connection->stream.expires_at(exchange.deadline);
        co_await http::async_write(connection->stream, exchange.request, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (reused && is_stale(ec)) {
                continue;
            }
            exchange.fault = exchange_fault(ec);
            co_return;
        }
        http::response_parser<http::string_body> parser;
        parser.header_limit(kAnswerHeaderBytesMax);
        parser.body_limit(kAnswerBodyBytesMax);
        co_await http::async_read(connection->stream, connection->buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (reused && is_stale(ec)) {
                continue;
            }
            exchange.fault = exchange_fault(ec);
            co_return;
        }
        auto& response = parser.get();
        exchange.status = response.result_int();
        exchange.body = std::move(response.body());
        if (response.keep_alive() && idle_.size() < kIdleConnectionsMax) {
            connection->stream.expires_never();
            idle_.push_back(std::move(connection));
        }
        co_return;
    }
    exchange.fault = hook_fault::error;
}

}  // namespace barrage::hook
