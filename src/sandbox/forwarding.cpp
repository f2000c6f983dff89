#include "sandbox/forwarding.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/parse.hpp>

namespace barrage::sandbox {

namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// The header names a Connection header lists ("keep-alive, x-trace"): connection-specific too.
std::vector<std::string_view> connection_options(const net::HttpRequest& request) {
    std::vector<std::string_view> names;
    for (const auto& [name, value] : request.headers) {
        if (!equal_ignoring_case(name, "connection")) {
            continue;
        }
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            names.push_back(trimmed(rest.substr(0, comma)));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return names;
}

}  // namespace

bool is_hop_by_hop(std::string_view name) {
    static constexpr std::array<std::string_view, 9> kNames{
        "connection", "keep-alive",        "proxy-connection", "proxy-authenticate", "proxy-authorization", "te",
        "trailer",    "transfer-encoding", "upgrade"};
    return std::ranges::any_of(kNames, [name](std::string_view known) { return equal_ignoring_case(name, known); });
}

net::HttpRequest upstream_request(net::HttpRequest from_app, const Upstream& upstream) {
    net::HttpRequest out;
    out.method = std::move(from_app.method);
    out.target = upstream.base_path + from_app.target;
    out.body = std::move(from_app.body);
    // Views into the app's Connection header, which is dropped, so never moved from below.
    const auto named = connection_options(from_app);
    out.headers.emplace_back("host", upstream.host_header);
    for (auto& [name, value] : from_app.headers) {
        const bool dropped =
            is_hop_by_hop(name) || equal_ignoring_case(name, "host") || equal_ignoring_case(name, "content-length") ||
            equal_ignoring_case(name, "expect") ||
            std::ranges::any_of(named, [&](std::string_view option) { return equal_ignoring_case(name, option); });
        if (!dropped) {
            out.headers.emplace_back(std::move(name), std::move(value));
        }
    }
    return out;
}

net::HttpResponse app_answer(net::HttpResponse from_upstream) {
    std::erase_if(from_upstream.headers, [](const auto& header) { return is_hop_by_hop(header.first); });
    from_upstream.relayed = true;
    return from_upstream;
}

std::optional<std::int64_t> open_code_of(std::string_view body) {
    if (body.size() > kCodeBodyBytesMax) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(body, ec);
    const auto* object = ec ? nullptr : parsed.if_object();
    const auto* code = object != nullptr ? object->if_contains("code") : nullptr;
    if (code == nullptr || !code->is_int64()) {
        return std::nullopt;
    }
    return code->get_int64();
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

}  // namespace barrage::sandbox
