#include "http/responses.h"

#include <charconv>

#include <boost/json.hpp>

#include "net/http_error.h"

namespace barrage::http {

namespace json = boost::json;

net::HttpResponse fail(std::error_code error, std::string_view detail) {
    return net::error_response(error, detail);
}

net::HttpResponse fail(const Refusal& refusal) {
    return net::error_response(refusal.code, refusal.detail);
}

net::HttpResponse ok(json::value data) {
    json::object out{{"code", 0}, {"message", "ok"}, {"data", std::move(data)}};
    return {200, "application/json", json::serialize(out)};
}

net::HttpResponse ok_spelled(std::string data_json) {
    std::string body = R"({"code":0,"message":"ok","data":)";
    body += data_json;
    body += '}';
    return {200, "application/json", std::move(body)};
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace barrage::http
