#include "message/dialect.h"

#include <array>
#include <utility>

#include "message/dialect_encoders.h"

namespace barrage::message {

namespace {

using Encoder = void (*)(const RoomMessage&, std::vector<std::string>&);

struct DialectEntry {
    Dialect dialect;
    std::string_view name;
    Encoder encoder;  // null: the dialect spells nothing yet
};

// Indexed by the enum value. The open-platform dialect spells users by per-app open_ids, so it
// needs to know its audience: encode_open_platform (open_dialect.h) takes one, and this table's
// entry, which has none, spells nothing.
constexpr std::array<DialectEntry, kDialectCount> kDialects{{
    {Dialect::web, "web", &detail::encode_web},
    {Dialect::native, "native", &detail::encode_native},
    {Dialect::open_platform, "open_platform", nullptr},
}};

}  // namespace

std::string_view to_string(Dialect dialect) {
    for (const auto& entry : kDialects) {
        if (entry.dialect == dialect) {
            return entry.name;
        }
    }
    return "unknown";
}

std::optional<Dialect> parse_dialect(std::string_view text) {
    for (const auto& entry : kDialects) {
        if (entry.name == text) {
            return entry.dialect;
        }
    }
    return std::nullopt;
}

void encode_message(Dialect dialect, const RoomMessage& message, std::vector<std::string>& bodies) {
    for (const auto& entry : kDialects) {
        if (entry.dialect == dialect && entry.encoder != nullptr) {
            const std::size_t first = bodies.size();
            entry.encoder(message, bodies);
            detail::mark_debug(message, bodies, first);
            return;
        }
    }
}

void detail::mark_debug(const RoomMessage& message, std::vector<std::string>& bodies, std::size_t first) {
    if (!message.sender.debug) {
        return;
    }
    for (std::size_t i = first; i < bodies.size(); ++i) {
        if (!bodies[i].empty() && bodies[i].front() == '{') {
            bodies[i].insert(1, bodies[i].size() > 2 ? R"("test":true,)" : R"("test":true)");
        }
    }
}

}  // namespace barrage::message
