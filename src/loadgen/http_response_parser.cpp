#include "loadgen/http_response_parser.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/errc.h"

namespace barrage::loadgen {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool contains_ignoring_case(std::string_view text, std::string_view word) {
    for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
        if (equals_ignoring_case(text.substr(i, word.size()), word)) {
            return true;
        }
    }
    return false;
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

// "HTTP/1.x NNN reason": the status, or nothing when the line is not that.
std::optional<unsigned> parse_status_line(std::string_view line, bool& http_1_0) {
    if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ' || (line.size() > 12 && line[12] != ' ')) {
        return std::nullopt;
    }
    unsigned status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') {
            return std::nullopt;
        }
        status = status * 10 + static_cast<unsigned>(line[i] - '0');
    }
    http_1_0 = line[7] == '0';
    return status < 100 ? std::nullopt : std::optional<unsigned>(status);
}

// Decimal digits only, at most kBodyBytesMax.
std::optional<std::size_t> parse_length(std::string_view text) {
    if (text.empty() || text.size() > 8) {
        return std::nullopt;
    }
    std::size_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value <= HttpResponseParser::kBodyBytesMax ? std::optional<std::size_t>(value) : std::nullopt;
}

struct Head {
    unsigned status = 0;
    std::optional<std::size_t> content_length;
    bool close = false;
};

Result<Head> parse_head(std::string_view head) {
    const auto bad = make_error_code(Errc::bad_request);
    std::size_t end = head.find("\r\n");
    bool http_1_0 = false;
    const auto status = parse_status_line(head.substr(0, end), http_1_0);
    if (!status) {
        return bad;
    }
    Head parsed;
    parsed.status = *status;
    bool keep_alive = false;
    while (end != std::string_view::npos && end + 2 < head.size()) {
        const std::size_t start = end + 2;
        end = head.find("\r\n", start);
        const std::string_view field = head.substr(start, end == std::string_view::npos ? end : end - start);
        const std::size_t colon = field.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            return bad;
        }
        const std::string_view name = field.substr(0, colon);
        const std::string_view value = trimmed(field.substr(colon + 1));
        if (equals_ignoring_case(name, "content-length")) {
            const auto length = parse_length(value);
            // Two different lengths make the framing ambiguous (RFC 9112 §6.3).
            if (!length || (parsed.content_length && *parsed.content_length != *length)) {
                return bad;
            }
            parsed.content_length = length;
        } else if (equals_ignoring_case(name, "transfer-encoding")) {
            return bad;  // chunked: not framed here (see the header comment)
        } else if (equals_ignoring_case(name, "connection")) {
            parsed.close = parsed.close || contains_ignoring_case(value, "close");
            keep_alive = keep_alive || contains_ignoring_case(value, "keep-alive");
        }
    }
    // HTTP/1.0 closes unless asked to keep the connection.
    parsed.close = parsed.close || (http_1_0 && !keep_alive);
    return parsed;
}

}  // namespace

Result<HttpResponseParser::Framed> HttpResponseParser::frame(std::string_view bytes) {
    const std::size_t head_end = bytes.find(kHeadEnd);
    if (head_end == std::string_view::npos) {
        if (bytes.size() > kHeadBytesMax) {
            return make_error_code(Errc::bad_request);
        }
        return Framed{};
    }
    if (head_end + kHeadEnd.size() > kHeadBytesMax) {
        return make_error_code(Errc::bad_request);
    }
    auto head = parse_head(bytes.substr(0, head_end + 2));
    if (!head) {
        return head.error();
    }
    const std::size_t body_start = head_end + kHeadEnd.size();
    // 1xx, 204 and 304 never carry a body (RFC 9112 §6.3); a 1xx is followed by the real answer.
    const bool interim = head->status < 200;
    const bool bodiless = interim || head->status == 204 || head->status == 304;
    if (!bodiless && !head->content_length) {
        return make_error_code(Errc::bad_request);  // a body that ends at close: not framed here
    }
    const std::size_t body_bytes = bodiless ? 0 : *head->content_length;
    if (bytes.size() - body_start < body_bytes) {
        return Framed{};
    }
    return Framed{
        .answer = {.status = head->status, .body = bytes.substr(body_start, body_bytes), .close = head->close},
        .consumed = body_start + body_bytes,
        .complete = !interim,
    };
}

}  // namespace barrage::loadgen
