#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "message/room_message.h"

namespace barrage::message {

enum class FieldKind : std::uint8_t { string, integer, number, boolean };

struct FieldSpec {
    std::string name;
    FieldKind kind = FieldKind::string;
    bool required = true;
    std::size_t max_length = 200;  // strings only, in code points
};

struct CustomType {
    std::string name;  // [a-z0-9_]{1,32}
    std::vector<FieldSpec> fields;
};

// The operator's declared custom message types. Immutable after construction; safe from any
// thread.
class CustomSchemas {
public:
    CustomSchemas() = default;
    explicit CustomSchemas(std::vector<CustomType> types);

    // Validates {"type":"name","fields":{...}} (the send body of a custom message):
    // Errc::bad_request when not of that shape, Errc::unknown_message_type for an
    // undeclared type, Errc::bad_custom_field for a missing required field, a field of the
    // wrong kind, an over-long string or a field the declaration does not name.
    Result<Custom> parse(std::string_view json_body) const;
    // The same checks on a body already parsed (the send path parses once).
    Result<Custom> from_object(const boost::json::object& body) const;

    bool empty() const { return types_.empty(); }

private:
    std::unordered_map<std::string, CustomType> types_;
};

}  // namespace barrage::message
