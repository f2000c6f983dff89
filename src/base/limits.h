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

// Largest inflated body of one compressed push, for clients reading the server (4 MiB batches
// inflate to a few times that). A compression bomb (e.g. 64 KiB of zlib that inflates to
// gigabytes) is cut off here instead of exhausting memory. What a client sends the server
// inflates to at most its packet limit (wire::DecodeLimits).
inline constexpr std::size_t kDecompressedBytesMax = 8 * 1024 * 1024;

// Inner packets in one compressed body from a client. A client has no reason to compress more
// than an auth, a heartbeat and a few sends together; 37 bytes of brotli can otherwise hold
// half a million heartbeats.
inline constexpr std::size_t kClientInnerPacketsMax = 16;
// Inner packets in one compressed push: a batch holds at most kBatchMessagesMax messages, and a
// dialect may spell one message as a few packets.
inline constexpr std::size_t kPushInnerPacketsMax = 8 * 1024;

// Working memory zlib or brotli may allocate for one client body. zlib needs ~40 KiB (a 32 KiB
// window and its state); brotli's ring buffer follows the window the stream declares (up to
// 16 MiB) unless the stream says its output is small, which a 64 KiB body does. Past this the
// body is refused as too large.
inline constexpr std::size_t kInflateMemoryBytesMax = 512 * 1024;
// The same for clients reading pushes: a brotli stream may use the largest standard window.
inline constexpr std::size_t kPushInflateMemoryBytesMax = 32 * 1024 * 1024;

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

// Purchases whose first answer the purchase desk holds (purchase::FirstAnswers): one per
// request in flight or waiting for its annotation to be durable, milliseconds each. Twice the
// ledger's queue; past it a purchase is refused with Errc::ledger_unavailable (the client
// retries with the same request id).
inline constexpr std::size_t kFirstAnswersMax = 131'072;
// Copies of one request waiting for their turn behind the first: a client's own retries of
// one request, never many. Past it the copy is refused with Errc::rate_limited.
inline constexpr std::size_t kFirstAnswerWaitersMax = 16;
// How long a first answer whose annotation the ledger could not store is still given to
// retries, in milliseconds: long past a client's retries after a timeout.
inline constexpr std::int64_t kFirstAnswerKeptMs = 10 * 60 * 1000;
// The host's share (per mille) of what viewers pay in a room that sets none: half, as
// Bilibili pays most streamers. The configuration's [economy] default and every room's.
inline constexpr std::uint32_t kStreamerSharePerMilleDefault = 500;

static_assert(kClientPacketBytesMax <= kClientFrameBytesMax);
static_assert(kPushInnerPacketsMax >= kBatchMessagesMax);
static_assert(kClientPacketBytesMax <= kPacketBytesMax);
static_assert(kPacketBytesMax <= kDecompressedBytesMax);

}  // namespace barrage::limits
