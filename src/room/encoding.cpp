#include "room/encoding.h"

#include "base/assert.h"
#include "wire/codec.h"

namespace barrage::room {

namespace {

// The push versions in index order; control (1) is never pushed and packs like json.
constexpr std::array<wire::ProtocolVersion, kPushVersionCount> kPushVersions{
    wire::ProtocolVersion::json, wire::ProtocolVersion::zlib, wire::ProtocolVersion::brotli};

std::size_t push_version_index(wire::ProtocolVersion protover) {
    switch (protover) {
        case wire::ProtocolVersion::zlib: return 1;
        case wire::ProtocolVersion::brotli: return 2;
        case wire::ProtocolVersion::json:
        case wire::ProtocolVersion::control: break;
    }
    return 0;
}

std::vector<std::string> encode_bodies(std::span<const message::MessagePtr> messages, message::Dialect dialect,
                                       const message::OpenAudience* open) {
    std::vector<std::string> bodies;
    if (dialect == message::Dialect::open_platform && open == nullptr) {
        return bodies;  // no game runs here: nobody to spell open_ids for
    }
    bodies.reserve(messages.size());
    for (const auto& message : messages) {
        BARRAGE_ASSERT(message != nullptr);
        if (dialect == message::Dialect::open_platform) {
            message::encode_open_platform(*message, *open, bodies);
        } else {
            message::encode_message(dialect, *message, bodies);
        }
    }
    return bodies;
}

// Null when the dialect spells none of the messages: an empty push is not worth a write.
FramePtr pack(std::span<const std::string> bodies, wire::ProtocolVersion protover) {
    if (bodies.empty()) {
        return nullptr;
    }
    return wire::make_frame(wire::encode_push_batch(bodies, protover));
}

}  // namespace

std::size_t EncodingKey::index() const {
    return static_cast<std::size_t>(dialect) * kPushVersionCount + push_version_index(protover);
}

EncodingKey EncodingKey::from_index(std::size_t index) {
    BARRAGE_ASSERT(index < kEncodingKeyCount);
    return EncodingKey{.dialect = static_cast<message::Dialect>(index / kPushVersionCount),
                       .protover = kPushVersions[index % kPushVersionCount]};
}

wire::ProtocolVersion push_version_for(int client_protover) {
    switch (client_protover) {
        case 2: return wire::ProtocolVersion::zlib;
        case 3: return wire::ProtocolVersion::brotli;
        default: return wire::ProtocolVersion::json;
    }
}

FrameSet encode_for_keys(std::span<const message::MessagePtr> messages,
                         const std::array<bool, kEncodingKeyCount>& in_use, const message::OpenAudience* open) {
    FrameSet frames{};
    for (std::size_t dialect = 0; dialect < message::kDialectCount; ++dialect) {
        const std::size_t first_key = dialect * kPushVersionCount;
        bool dialect_in_use = false;
        for (std::size_t version = 0; version < kPushVersionCount; ++version) {
            dialect_in_use = dialect_in_use || in_use[first_key + version];
        }
        if (!dialect_in_use) {
            continue;
        }
        // JSON once per dialect, then one packing per push version: every receiver of a key
        // shares the result.
        const auto bodies = encode_bodies(messages, static_cast<message::Dialect>(dialect), open);
        for (std::size_t version = 0; version < kPushVersionCount; ++version) {
            if (in_use[first_key + version]) {
                frames[first_key + version] = pack(bodies, kPushVersions[version]);
            }
        }
    }
    return frames;
}

FramePtr encode_for_key(std::span<const message::MessagePtr> messages, EncodingKey key,
                        const message::OpenAudience* open) {
    const auto bodies = encode_bodies(messages, key.dialect, open);
    return pack(bodies, kPushVersions[push_version_index(key.protover)]);
}

}  // namespace barrage::room
