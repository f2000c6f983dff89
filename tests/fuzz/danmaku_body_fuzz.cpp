// libFuzzer target for a send body (op 4 or POST .../danmaku): hostile bytes as a danmaku
// (message/danmaku_rules.h) and as a custom message against two declared types
// (message/custom_schema.h), as gateway::send_to_room may hand them to either, and through
// message::parse_send_body, which the send path uses to parse a body once.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - errors are only the ones each parser documents, and the same bytes parse the same way
//     twice;
//   - an accepted danmaku's text is the body's "msg", valid UTF-8 (checked here by a separate
//     decoder), 1..100 code points, no control characters; its colour is within 0..0xFFFFFF,
//     its mode 1, 4 or 5 and its font size within the rules;
//   - an accepted custom message names a declared type, and its fields are a JSON object of
//     declared names only, each of its declared kind, strings valid UTF-8 within their length,
//     every required field present;
//   - an accepted body written back as a client would parses to the same value (custom
//     numbers to within their last digits; see same_fields);
//   - a like batch ({"type":"like"}) is accepted exactly with an integer count in 1..1000,
//     and carries that count;
//   - a system notice ({"type":"system"}) carries its "msg" as the text rules leave it, and a
//     reply's "reply_to" names a user above 0 by a short name of valid UTF-8.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "base/assert.h"
#include "message/custom_schema.h"
#include "message/danmaku_rules.h"
#include "message/send_body.h"

namespace {

using barrage::Errc;
using barrage::Result;
using barrage::message::Custom;
using barrage::message::CustomSchemas;
using barrage::message::CustomType;
using barrage::message::Danmaku;
using barrage::message::DanmakuRules;
using barrage::message::FieldKind;
using barrage::message::FieldSpec;

constexpr DanmakuRules kRules{};

// A poll vote with every field kind, and a cheer whose fields may all be left out.
const std::vector<CustomType>& declared_types() {
    static const std::vector<CustomType> types{
        {.name = "vote",
         .fields = {{.name = "option", .kind = FieldKind::string, .max_length = 20},
                    {.name = "votes", .kind = FieldKind::integer},
                    {.name = "weight", .kind = FieldKind::number, .required = false},
                    {.name = "secret", .kind = FieldKind::boolean, .required = false}}},
        {.name = "cheer", .fields = {{.name = "text", .kind = FieldKind::string, .required = false, .max_length = 5}}},
    };
    return types;
}

const CustomSchemas& schemas() {
    static const CustomSchemas instance(declared_types());
    return instance;
}

// Code points of `text` when it is well-formed UTF-8 (shortest form, no surrogates, at most
// U+10FFFF), else nullopt. Kept apart from base/utf8.cpp so one cannot vouch for the other.
// Each code point is appended to `out` when given.
std::optional<std::size_t> decode_utf8(std::string_view text, std::vector<char32_t>* out = nullptr) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto lead = static_cast<unsigned char>(text[i]);
        // Length, payload bits of the lead byte and shortest-form minimum, by lead byte.
        std::size_t length = 1;
        char32_t value = lead;
        char32_t smallest = 0;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            value = lead & 0x1FU;
            smallest = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            value = lead & 0x0FU;
            smallest = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            value = lead & 0x07U;
            smallest = 0x10000;
        } else if (lead >= 0x80) {
            return std::nullopt;  // a continuation byte, or a lead that is always overlong
        }
        if (i + length > text.size()) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0U) != 0x80U) {
                return std::nullopt;
            }
            value = value << 6 | (next & 0x3FU);
        }
        if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            return std::nullopt;
        }
        if (out != nullptr) {
            out->push_back(value);
        }
        i += length;
    }
    return count;
}

bool same_danmaku(const Result<Danmaku>& left, const Result<Danmaku>& right) {
    if (!left || !right) {
        return !left && !right && left.error() == right.error();
    }
    return left->text == right->text && left->color == right->color && left->mode == right->mode &&
           left->fontsize == right->fontsize && left->reply_uid == right->reply_uid &&
           left->reply_name == right->reply_name;
}

bool same_custom(const Result<Custom>& left, const Result<Custom>& right) {
    if (!left || !right) {
        return !left && !right && left.error() == right.error();
    }
    return left->type == right->type && left->fields_json == right->fields_json;
}

// The body's "msg" string, read as parse_danmaku reads it.
std::string body_text(std::string_view body) {
    boost::json::parse_options options;
    options.allow_invalid_utf8 = true;
    const boost::json::value root = boost::json::parse(body, {}, options);
    return std::string(root.at("msg").as_string());
}

void check_danmaku(std::string_view body) {
    const Result<Danmaku> danmaku = barrage::message::parse_danmaku(body, kRules);
    BARRAGE_ASSERT(same_danmaku(danmaku, barrage::message::parse_danmaku(body, kRules)));
    if (!danmaku) {
        const std::error_code error = danmaku.error();
        BARRAGE_ASSERT(error == Errc::bad_request || error == Errc::bad_utf8 || error == Errc::message_empty ||
                       error == Errc::message_too_long || error == Errc::unknown_mode || error == Errc::bad_color ||
                       error == Errc::bad_fontsize);
        return;
    }
    std::vector<char32_t> code_points;
    const std::optional<std::size_t> count = decode_utf8(danmaku->text, &code_points);
    BARRAGE_ASSERT(count && *count >= 1 && *count <= kRules.code_points_max);
    for (const char32_t c : code_points) {
        BARRAGE_ASSERT(c > 0x1F && (c < 0x7F || c > 0x9F));
    }
    BARRAGE_ASSERT(danmaku->text == body_text(body));
    BARRAGE_ASSERT(danmaku->color <= 0xFFFFFF);
    const auto mode = static_cast<int>(danmaku->mode);
    BARRAGE_ASSERT(mode == 1 || mode == 4 || mode == 5);
    BARRAGE_ASSERT(danmaku->fontsize >= kRules.fontsize_min && danmaku->fontsize <= kRules.fontsize_max);
    // A reply names a user (uid above 0) by a short name of printable UTF-8.
    if (danmaku->reply_uid.value != 0 || !danmaku->reply_name.empty()) {
        BARRAGE_ASSERT(danmaku->reply_uid.value != 0);
        BARRAGE_ASSERT(danmaku->reply_name.size() <= barrage::message::kReplyNameBytesMax);
        BARRAGE_ASSERT(decode_utf8(danmaku->reply_name).has_value());
    }

    boost::json::object canonical{
        {"msg", danmaku->text}, {"color", danmaku->color}, {"mode", mode}, {"fontsize", danmaku->fontsize}};
    if (danmaku->reply_uid.value != 0) {
        canonical["reply_to"] = boost::json::object{{"uid", danmaku->reply_uid.value}, {"name", danmaku->reply_name}};
    }
    BARRAGE_ASSERT(same_danmaku(danmaku, barrage::message::parse_danmaku(boost::json::serialize(canonical), kRules)));
}

bool matches_kind(const FieldSpec& spec, const boost::json::value& value) {
    switch (spec.kind) {
        case FieldKind::string: {
            const auto count = value.is_string() ? decode_utf8(value.get_string()) : std::nullopt;
            return count && *count <= spec.max_length;
        }
        case FieldKind::integer: return value.is_int64() || value.is_uint64();
        case FieldKind::number: return value.is_int64() || value.is_uint64() || value.is_double();
        case FieldKind::boolean: return value.is_bool();
    }
    return false;
}

const CustomType* find_declared(std::string_view name) {
    for (const CustomType& type : declared_types()) {
        if (type.name == name) {
            return &type;
        }
    }
    return nullptr;
}

void check_fields(const CustomType& type, const boost::json::object& fields) {
    for (const auto& member : fields) {
        bool found = false;
        for (const FieldSpec& spec : type.fields) {
            if (spec.name == member.key()) {
                BARRAGE_ASSERT(matches_kind(spec, member.value()));
                found = true;
            }
        }
        BARRAGE_ASSERT(found);
    }
    for (const FieldSpec& spec : type.fields) {
        BARRAGE_ASSERT(!spec.required || fields.contains(spec.name));
    }
}

// Equal members, except that numbers with a fraction or exponent may differ in their last
// digit: Boost.JSON 1.81 parses them to at least 15 significant digits, not to the nearest
// double (precise parsing came with parse_options::numbers in a later Boost), so a number read
// back from its own serialization can move by an ulp or two.
bool same_fields(const boost::json::object& left, const boost::json::object& right) {
    if (left.size() != right.size()) {
        return false;
    }
    for (const auto& member : left) {
        const boost::json::value* other = right.if_contains(member.key());
        if (other == nullptr) {
            return false;
        }
        const boost::json::value& value = member.value();
        if (value.is_double() && other->is_double()) {
            const double a = value.get_double();
            const double b = other->get_double();
            if (a != b && std::fabs(a - b) > 1e-14 * std::max(std::fabs(a), std::fabs(b))) {
                return false;
            }
        } else if (value != *other) {
            return false;
        }
    }
    return true;
}

void check_custom(std::string_view body) {
    const Result<Custom> custom = schemas().parse(body);
    BARRAGE_ASSERT(same_custom(custom, schemas().parse(body)));
    if (!custom) {
        const std::error_code error = custom.error();
        BARRAGE_ASSERT(error == Errc::bad_request || error == Errc::unknown_message_type ||
                       error == Errc::bad_custom_field);
        return;
    }
    // Strict parse: what the server stores and forwards must be valid JSON and UTF-8.
    boost::system::error_code ec;
    const boost::json::value fields = boost::json::parse(custom->fields_json, ec);
    BARRAGE_ASSERT(!ec && fields.is_object());
    const CustomType* type = find_declared(custom->type);
    BARRAGE_ASSERT(type != nullptr);
    check_fields(*type, fields.get_object());

    const boost::json::object canonical{{"type", custom->type}, {"fields", fields}};
    const Result<Custom> again = schemas().parse(boost::json::serialize(canonical));
    BARRAGE_ASSERT(again && again->type == custom->type);
    BARRAGE_ASSERT(same_fields(fields.get_object(), boost::json::parse(again->fields_json).get_object()));
}

// The send path parses a body once (message::parse_send_body); it must answer as the danmaku
// or the custom parser alone answers the same body, and carry the body's request id.
void check_send_body(std::string_view body) {
    const Result<barrage::message::SendBody> send = barrage::message::parse_send_body(body, kRules, schemas());
    boost::json::parse_options options;
    options.allow_invalid_utf8 = true;
    boost::system::error_code ec;
    const boost::json::value root = boost::json::parse(body, ec, {}, options);
    const boost::json::object* object = ec ? nullptr : root.if_object();
    const boost::json::value* type = object != nullptr ? object->if_contains("type") : nullptr;
    if (type != nullptr && type->is_string() && type->get_string() == "like") {
        // A batch of like taps: an integer count in 1..kLikeTapsMax, nothing else.
        if (!send) {
            BARRAGE_ASSERT(send.error() == Errc::bad_request || send.error() == Errc::bad_count);
            return;
        }
        const boost::json::value& count = object->at("count");
        BARRAGE_ASSERT(send->like_taps >= 1 && send->like_taps <= barrage::message::kLikeTapsMax);
        BARRAGE_ASSERT(count.is_int64() ? count.get_int64() == send->like_taps : count.get_uint64() == send->like_taps);
    } else if (type != nullptr && type->is_string() && type->get_string() == "system") {
        // A system notice: its "msg" obeys a danmaku's text rules.
        const boost::json::value* msg = object->if_contains("msg");
        if (!send) {
            BARRAGE_ASSERT(send.error() == Errc::bad_request || send.error() == Errc::bad_utf8 ||
                           send.error() == Errc::message_empty || send.error() == Errc::message_too_long);
            return;
        }
        BARRAGE_ASSERT(std::holds_alternative<barrage::message::System>(send->body) && msg != nullptr &&
                       msg->is_string());
        const auto checked = barrage::message::check_danmaku_text(msg->get_string(), kRules);
        BARRAGE_ASSERT(checked && *checked == std::get<barrage::message::System>(send->body).text);
    } else if (type != nullptr && type->is_string() && type->get_string() != "danmaku") {
        const Result<Custom> alone = schemas().parse(body);
        BARRAGE_ASSERT(send ? std::holds_alternative<Custom>(send->body) &&
                                  same_custom(alone, Result<Custom>(std::get<Custom>(send->body)))
                            : !alone && alone.error() == send.error());
    } else {
        const Result<Danmaku> alone = barrage::message::parse_danmaku(body, kRules);
        BARRAGE_ASSERT(send ? std::holds_alternative<Danmaku>(send->body) &&
                                  same_danmaku(alone, Result<Danmaku>(std::get<Danmaku>(send->body)))
                            : !alone && alone.error() == send.error());
    }
    if (send) {
        const boost::json::value* id = object->if_contains("request_id");
        BARRAGE_ASSERT(send->request_id == (id != nullptr && id->is_string() ? std::string(id->get_string()) : ""));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    check_danmaku(body);
    check_custom(body);
    check_send_body(body);
    return 0;
}
