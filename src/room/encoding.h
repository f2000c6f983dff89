#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/ids.h"
#include "message/dialect.h"
#include "message/open_dialect.h"
#include "message/room_message.h"
#include "wire/frame.h"
#include "wire/packet.h"

namespace barrage::room {

// How one receiver wants bytes: dialect × push protocol version (0 plain, 2 zlib, 3 brotli).
// Every receiver with the same key receives the very same buffer.
struct EncodingKey {
    message::Dialect dialect = message::Dialect::web;
    wire::ProtocolVersion protover = wire::ProtocolVersion::json;

    // Dense index 0..kEncodingKeyCount-1, for arrays indexed by key.
    std::size_t index() const;
    static EncodingKey from_index(std::size_t index);
    auto operator<=>(const EncodingKey&) const = default;
};

inline constexpr std::size_t kPushVersionCount = 3;  // 0, 2, 3
inline constexpr std::size_t kEncodingKeyCount = message::kDialectCount * kPushVersionCount;

// Maps a client's auth protover to what we push: 2 → zlib, 3 → brotli, anything else → plain.
wire::ProtocolVersion push_version_for(int client_protover);

// One encoded batch, immutable, shared by every receiver of its key on every thread.
using Frame = wire::Frame;
using FramePtr = wire::FramePtr;

// One encoding per key in use; null where no receiver uses that key, or where the key's
// dialect spells none of the messages (nothing to send).
using FrameSet = std::array<FramePtr, kEncodingKeyCount>;

// Encodes `messages` once per key whose `in_use` flag is set: JSON per dialect once, then one
// packing per protover. The open-platform keys are spelled for `open`, the app whose games run
// in the room (nothing when null). Pure.
FrameSet encode_for_keys(std::span<const message::MessagePtr> messages,
                         const std::array<bool, kEncodingKeyCount>& in_use,
                         const message::OpenAudience* open = nullptr);

// Encodes `messages` for one key (resume replays, single-receiver notices); null when the
// dialect spells none of them. Pure.
FramePtr encode_for_key(std::span<const message::MessagePtr> messages, EncodingKey key,
                        const message::OpenAudience* open = nullptr);

}  // namespace barrage::room
