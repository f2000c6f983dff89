#include "message/custom_schema.h"

#include <cmath>
#include <optional>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "base/assert.h"
#include "base/utf8.h"

namespace barrage::message {

namespace {

constexpr std::size_t kTypeNameBytesMax = 32;

bool is_valid_type_name(std::string_view name) {
    if (name.empty() || name.size() > kTypeNameBytesMax) {
        return false;
    }
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

const FieldSpec* find_field(const CustomType& type, std::string_view name) {
    for (const FieldSpec& field : type.fields) {
        if (field.name == name) {
            return &field;
        }
    }
    return nullptr;
}

bool matches(const FieldSpec& spec, const boost::json::value& value) {
    switch (spec.kind) {
        case FieldKind::string: {
            if (!value.is_string()) {
                return false;
            }
            const std::optional<std::size_t> code_points = utf8_code_points(value.get_string());
            return code_points && *code_points <= spec.max_length;
        }
        case FieldKind::integer: return value.is_int64() || value.is_uint64();
        // Boost.JSON 1.81 reads an exponent past the double range (1e400) as infinity and
        // would write it back as `Infinity`, which is not JSON: every client in the room
        // would fail to parse the push. Only finite numbers are numbers here.
        case FieldKind::number:
            return value.is_int64() || value.is_uint64() || (value.is_double() && std::isfinite(value.get_double()));
        case FieldKind::boolean: return value.is_bool();
    }
    return false;
}

// Every field in `fields` is declared and of its declared kind, and every required field is
// present. JSON null is not a value of any kind; an optional field is left out instead.
bool fields_match(const CustomType& type, const boost::json::object& fields) {
    for (const auto& member : fields) {
        const FieldSpec* spec = find_field(type, member.key());
        if (spec == nullptr || !matches(*spec, member.value())) {
            return false;
        }
    }
    for (const FieldSpec& spec : type.fields) {
        if (spec.required && !fields.contains(spec.name)) {
            return false;
        }
    }
    return true;
}

}  // namespace

CustomSchemas::CustomSchemas(std::vector<CustomType> types) {
    for (CustomType& type : types) {
        // Config loading validates names and reports them to the operator; reaching here with
        // a bad or repeated name is our bug.
        BARRAGE_ASSERT(is_valid_type_name(type.name));
        for (const FieldSpec& field : type.fields) {
            BARRAGE_ASSERT(!field.name.empty());
            BARRAGE_ASSERT(find_field(type, field.name) == &field);  // names are unique
        }
        std::string name = type.name;
        const bool inserted = types_.emplace(std::move(name), std::move(type)).second;
        BARRAGE_ASSERT(inserted);
    }
}

// Top-level members other than "type" and "fields" are ignored so that clients may add
// request metadata; "fields" may be left out when the type has no required field.
Result<Custom> CustomSchemas::parse(std::string_view json_body) const {
    boost::json::parse_options options;
    // Invalid UTF-8 in a string field is that field's error (bad_custom_field), not the body's.
    options.allow_invalid_utf8 = true;
    boost::system::error_code ec;
    const boost::json::value root = boost::json::parse(json_body, ec, {}, options);
    if (ec || !root.is_object()) {
        return make_error_code(Errc::bad_request);
    }
    return from_object(root.get_object());
}

Result<Custom> CustomSchemas::from_object(const boost::json::object& body) const {
    const boost::json::value* type_name = body.if_contains("type");
    const boost::json::value* fields = body.if_contains("fields");
    if (type_name == nullptr || !type_name->is_string() || (fields != nullptr && !fields->is_object())) {
        return make_error_code(Errc::bad_request);
    }

    const auto found = types_.find(std::string(type_name->get_string()));
    if (found == types_.end()) {
        return make_error_code(Errc::unknown_message_type);
    }
    const boost::json::object empty;
    const boost::json::object& field_values = fields == nullptr ? empty : fields->get_object();
    if (!fields_match(found->second, field_values)) {
        return make_error_code(Errc::bad_custom_field);
    }
    return Custom{.type = found->first, .fields_json = boost::json::serialize(field_values)};
}

}  // namespace barrage::message
