#include "http/body.h"

#include <boost/json/parse.hpp>
#include <fmt/format.h>

namespace barrage::http {

namespace json = boost::json;

Fields::Fields(std::string_view body) {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
        refuse(Errc::bad_request, "the body must be a JSON object");
        return;
    }
    object_ = std::move(parsed.as_object());
}

void Fields::refuse(Errc code, std::string detail) {
    if (!refusal_) {
        refusal_ = Refusal{make_error_code(code), std::move(detail)};
    }
}

std::int64_t Fields::integer(std::string_view key, const Range& range) {
    if (refusal_) {
        return 0;
    }
    const auto* value = object_.if_contains(key);
    if (value == nullptr) {
        refuse(Errc::bad_request, fmt::format("{} is required", key));
        return 0;
    }
    const bool whole = value->is_int64() || (value->is_uint64() && value->get_uint64() <= INT64_MAX);
    const std::int64_t number = value->is_int64() ? value->get_int64()
                                : whole           ? static_cast<std::int64_t>(value->get_uint64())
                                                  : 0;
    if (!whole || number < range.min || number > range.max) {
        refuse(range.invalid, fmt::format("{} must be a whole number in {}..{}", key, range.min, range.max));
        return 0;
    }
    return number;
}

std::int64_t Fields::integer_or(std::string_view key, std::int64_t fallback, const Range& range) {
    return object_.contains(key) ? integer(key, range) : fallback;
}

std::string Fields::text(std::string_view key, std::size_t bytes_max) {
    if (refusal_) {
        return {};
    }
    const auto* value = object_.if_contains(key);
    if (value == nullptr) {
        refuse(Errc::bad_request, fmt::format("{} is required", key));
        return {};
    }
    if (!value->is_string() || value->as_string().size() > bytes_max) {
        refuse(Errc::bad_request, fmt::format("{} must be a string of at most {} bytes", key, bytes_max));
        return {};
    }
    return std::string(value->as_string());
}

std::string Fields::text_or_empty(std::string_view key, std::size_t bytes_max) {
    return object_.contains(key) ? text(key, bytes_max) : std::string();
}

std::vector<std::uint64_t> Fields::ids_or_empty(std::string_view key, std::size_t items_max) {
    std::vector<std::uint64_t> ids;
    if (refusal_ || !object_.contains(key)) {
        return ids;
    }
    const auto& value = object_.at(key);
    const auto refused = [&] {
        refuse(Errc::bad_request, fmt::format("{} must be an array of at most {} positive ids", key, items_max));
        return std::vector<std::uint64_t>{};
    };
    if (!value.is_array() || value.as_array().size() > items_max) {
        return refused();
    }
    for (const auto& item : value.as_array()) {
        if (!item.is_int64() || item.get_int64() <= 0) {
            return refused();
        }
        ids.push_back(static_cast<std::uint64_t>(item.get_int64()));
    }
    return ids;
}

bool Fields::flag_or(std::string_view key, bool fallback) {
    if (refusal_ || !object_.contains(key)) {
        return fallback;
    }
    const auto& value = object_.at(key);
    if (!value.is_bool()) {
        refuse(Errc::bad_request, fmt::format("{} must be true or false", key));
        return fallback;
    }
    return value.as_bool();
}

}  // namespace barrage::http
