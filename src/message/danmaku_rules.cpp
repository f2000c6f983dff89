#include "message/danmaku_rules.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include "base/utf8.h"

namespace barrage::message {

namespace {

// Decodes the code point starting at `text[i]` and advances `i`. Only for text already
// accepted by utf8_code_points, so no validation here.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    char32_t value = lead;
    if (lead >= 0xF0) {
        length = 4;
        value = lead & 0x07U;
    } else if (lead >= 0xE0) {
        length = 3;
        value = lead & 0x0FU;
    } else if (lead >= 0xC0) {
        length = 2;
        value = lead & 0x1FU;
    }
    for (std::size_t k = 1; k < length; ++k) {
        value = value << 6 | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    }
    i += length;
    return value;
}

// Unicode category Cc: C0 controls, DEL and C1 controls. Danmaku is one line of display text;
// a NUL, newline or terminal escape has no place in it and can break clients that
// draw or log it, so such text is a malformed request (Errc::bad_request) rather
// than something we silently strip.
bool is_control(char32_t c) {
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
}

// Characters that draw nothing: Unicode White_Space (minus the controls rejected above) plus
// the zero-width and filler characters people use to post "invisible" danmaku. Text made only
// of these is Errc::message_empty.
bool is_blank(char32_t c) {
    switch (c) {
        case 0x20:
        case 0xA0:
        case 0x1680:
        case 0x180E:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x2060:
        case 0x3000:
        case 0x3164:  // Hangul filler
        case 0xFEFF:
        case 0xFFA0:  // halfwidth Hangul filler
            return true;
        default: return c >= 0x2000 && c <= 0x200D;  // en quad .. zero-width joiner
    }
}

// A JSON integer as int64 (saturating), else nullopt. A double (even 25.0) is the
// wrong kind: clients send integers for these fields.
std::optional<std::int64_t> as_integer(const boost::json::value& value) {
    if (value.is_int64()) {
        return value.get_int64();
    }
    if (value.is_uint64()) {
        // Above INT64_MAX: out of range for every field here; any large value reports that.
        return std::numeric_limits<std::int64_t>::max();
    }
    return std::nullopt;
}

// Value of the four hex digits at text[at..at+4), or nullopt.
std::optional<std::uint32_t> hex4(std::string_view text, std::size_t at) {
    if (at + 4 > text.size()) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
        const char c = text[i];
        std::uint32_t digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<std::uint32_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<std::uint32_t>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            digit = static_cast<std::uint32_t>(c - 'A' + 10);
        } else {
            return std::nullopt;
        }
        value = value << 4 | digit;
    }
    return value;
}

// True when `body` holds a \u escape of a surrogate that is not part of a high-low pair.
// Called only for bodies Boost.JSON already rejected: it reports a lone trailing surrogate as
// its own error but a lone leading one as a plain syntax error. Clients that cut text to a
// length in UTF-16 units split emoji this way, and deserve bad_utf8 rather than bad_request.
bool has_lone_surrogate_escape(std::string_view body) {
    for (std::size_t i = 0; i + 1 < body.size(); ++i) {
        if (body[i] != '\\') {
            continue;
        }
        ++i;  // skip the escaped character, so "\\ud800" is not read as an escape
        const std::optional<std::uint32_t> unit = body[i] == 'u' ? hex4(body, i + 1) : std::nullopt;
        if (!unit || *unit < 0xD800 || *unit > 0xDFFF) {
            continue;
        }
        const std::size_t next = i + 5;  // where the low half's backslash must be
        const bool escape_follows = next + 1 < body.size() && body[next] == '\\' && body[next + 1] == 'u';
        const std::uint32_t low = escape_follows ? hex4(body, next + 2).value_or(0) : 0;
        if (*unit > 0xDBFF || low < 0xDC00 || low > 0xDFFF) {
            return true;
        }
        i = next + 5;  // the last hex digit of the low half
    }
    return false;
}

}  // namespace

Result<std::string> check_danmaku_text(std::string_view text, const DanmakuRules& rules) {
    const std::optional<std::size_t> code_points = utf8_code_points(text);
    if (!code_points) {
        return make_error_code(Errc::bad_utf8);
    }
    bool blank = true;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t c = next_code_point(text, i);
        if (is_control(c)) {
            return make_error_code(Errc::bad_request);
        }
        blank = blank && is_blank(c);
    }
    if (blank) {
        return make_error_code(Errc::message_empty);
    }
    if (*code_points > rules.code_points_max) {
        return make_error_code(Errc::message_too_long);
    }
    return std::string(text);
}

namespace {

// Reads optional integer member `key` into `out` when within [low, high]. Wrong kind is
// bad_request, out of range is `range_error`.
Status read_integer(const boost::json::object& body, std::string_view key, std::int64_t low, std::int64_t high,
                    Errc range_error, std::int64_t& out) {
    const boost::json::value* value = body.if_contains(key);
    if (value == nullptr) {
        return {};
    }
    const std::optional<std::int64_t> integer = as_integer(*value);
    if (!integer) {
        return make_error_code(Errc::bad_request);
    }
    if (*integer < low || *integer > high) {
        return make_error_code(range_error);
    }
    out = *integer;
    return {};
}

}  // namespace

Result<boost::json::object> parse_send_object(std::string_view json_body) {
    boost::json::parse_options options;
    // Invalid UTF-8 inside a string is reported by that field's own check (bad_utf8 for a
    // danmaku's msg), not as unparseable JSON.
    options.allow_invalid_utf8 = true;
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(json_body, ec, {}, options);
    if (ec) {
        return make_error_code(has_lone_surrogate_escape(json_body) ? Errc::bad_utf8 : Errc::bad_request);
    }
    if (!root.is_object()) {
        return make_error_code(Errc::bad_request);
    }
    return std::move(root.get_object());
}

// Fields other than msg, color, mode and fontsize are ignored: Bilibili web clients also send
// bubble, rnd, roomid, csrf and similar, and must work unchanged.
namespace {

// "reply_to": {"uid": N, "name": "..."}: whom a reply answers. The name is what the replier's
// client showed; it is only displayed, so it is checked like text, not looked up.
Result<std::pair<UserId, std::string>> reply_from(const boost::json::value& value) {
    const auto* object = value.if_object();
    if (object == nullptr) {
        return make_error_code(Errc::bad_request);
    }
    const auto* uid = object->if_contains("uid");
    const auto* name = object->if_contains("name");
    if (uid == nullptr || !uid->is_int64() || uid->get_int64() <= 0 || name == nullptr || !name->is_string()) {
        return make_error_code(Errc::bad_request);
    }
    const std::string_view text = name->get_string();
    if (text.size() > kReplyNameBytesMax || !utf8_code_points(text)) {
        return make_error_code(Errc::bad_request);
    }
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7F) {
            return make_error_code(Errc::bad_request);
        }
    }
    return std::pair{UserId{static_cast<std::uint64_t>(uid->get_int64())}, std::string(text)};
}

}  // namespace

Result<Danmaku> danmaku_from(const boost::json::object& body, const DanmakuRules& rules) {
    Danmaku danmaku;
    const boost::json::value* msg = body.if_contains("msg");
    if (msg == nullptr || !msg->is_string()) {
        return make_error_code(Errc::bad_request);
    }
    Result<std::string> text = check_danmaku_text(msg->get_string(), rules);
    if (!text) {
        return text.error();
    }
    danmaku.text = std::move(*text);

    std::int64_t color = danmaku.color;
    std::int64_t mode = static_cast<std::int64_t>(danmaku.mode);
    std::int64_t fontsize = danmaku.fontsize;
    Status status = read_integer(body, "color", 0, 0xFFFFFF, Errc::bad_color, color);
    if (status) {
        status = read_integer(body, "mode", 1, 5, Errc::unknown_mode, mode);
    }
    if (status) {
        status = read_integer(body, "fontsize", rules.fontsize_min, rules.fontsize_max, Errc::bad_fontsize, fontsize);
    }
    if (!status) {
        return status.error();
    }
    // 2 and 3 lie inside [1, 5] but are not modes.
    if (mode != 1 && mode != 4 && mode != 5) {
        return make_error_code(Errc::unknown_mode);
    }
    danmaku.color = static_cast<std::uint32_t>(color);
    danmaku.mode = static_cast<DanmakuMode>(mode);
    danmaku.fontsize = static_cast<std::uint8_t>(fontsize);
    if (const auto* reply = body.if_contains("reply_to")) {
        auto to = reply_from(*reply);
        if (!to) {
            return to.error();
        }
        danmaku.reply_uid = to->first;
        danmaku.reply_name = std::move(to->second);
    }
    return danmaku;
}

Result<Danmaku> parse_danmaku(std::string_view json_body, const DanmakuRules& rules) {
    auto body = parse_send_object(json_body);
    if (!body) {
        return body.error();
    }
    return danmaku_from(*body, rules);
}

}  // namespace barrage::message
