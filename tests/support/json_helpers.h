#pragma once

// JSON helpers for reading server answers: op 5 push bodies, op 8 / op 1000 replies and HTTP
// bodies. Failures throw std::runtime_error quoting the text, so a test shows what it got.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace barrage::test {

boost::json::value parse_json(std::string_view text);
// Throws unless `text` is a JSON object.
boost::json::object parse_object(std::string_view text);

// An op 7 body. Fields not set are omitted, so AuthBody().str() is {"roomid":1}.
class AuthBody {
public:
    explicit AuthBody(std::uint64_t room = 1);
    AuthBody& protover(int value);
    AuthBody& dialect(std::string_view value);
    AuthBody& key(std::string_view value);
    AuthBody& last_seq(std::uint64_t value);
    std::string str() const;

private:
    boost::json::object body_;
};

// The "cmd" string of an op 5 body, or "" when there is none.
std::string cmd_of(std::string_view body);

// The root-level "seq" of a sequenced push (every dialect carries it), if present.
std::optional<std::uint64_t> sequence_of(const boost::json::value& push);

// The text of a danmaku push: info[1] for the web dialect's DANMU_MSG, data.text for native.
std::string danmaku_text(const boost::json::value& push);

// An integer field of an object (any JSON integer kind), throwing when absent.
std::int64_t int_field(const boost::json::object& object, std::string_view key);

}  // namespace barrage::test
