#pragma once

#include <cstddef>
#include <cstdint>

// Every quantity that grows from outside input has a maximum here, with the reason for it.
// Configurable limits (config/barrage.example.toml) default to these and may not exceed them.
namespace barrage::limits {

// Wire header size; fixed by the protocol.
inline constexpr std::size_t kHeaderBytes = 16;

// Largest packet a client may send. Client sends are auth bodies, heartbeats and danmaku,
// all well under 4 KiB; 64 KiB leaves room for custom messages and rejects garbage early.
inline constexpr std::size_t kClientPacketBytesMax = 64 * 1024;

// Largest packet a decoder accepts from a server (clients decoding our pushes): one batch of
// up to kBatchMessagesMax messages, compressed. 4 MiB bounds a single allocation.
inline constexpr std::size_t kPacketBytesMax = 4 * 1024 * 1024;

// Largest inflated body of one compressed packet. A compression bomb (e.g. 64 KiB of zlib
// that inflates to gigabytes) is cut off here instead of exhausting memory.
inline constexpr std::size_t kDecompressedBytesMax = 8 * 1024 * 1024;

// Largest WebSocket message a client may send; several packets may share one frame.
inline constexpr std::size_t kClientFrameBytesMax = 256 * 1024;

// Messages in one room batch; a full batch is flushed before the tick.
inline constexpr std::size_t kBatchMessagesMax = 512;

// Per-connection outbound queue bound (default). Past it the connection is closed: a client
// that cannot keep up resumes from history instead of growing server memory without bound.
inline constexpr std::size_t kOutboundBytesDefault = 1024 * 1024;

// Danmaku text, in Unicode code points (default; configurable lower).
inline constexpr std::size_t kDanmakuCodePointsMax = 100;

// History ring per room (default length; configurable).
inline constexpr std::size_t kHistoryDefault = 1000;
inline constexpr std::size_t kHistoryMax = 100'000;

// HTTP request body limit; danmaku and admin bodies are small.
inline constexpr std::size_t kHttpBodyBytesMax = 64 * 1024;

static_assert(kClientPacketBytesMax <= kClientFrameBytesMax);
static_assert(kClientPacketBytesMax <= kPacketBytesMax);
static_assert(kPacketBytesMax <= kDecompressedBytesMax);

}  // namespace barrage::limits
