#pragma once

// Pure encoding and decoding of live-room packets; no I/O. Layout drawn in wire/packet.h.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "base/result.h"
#include "wire/packet.h"

namespace barrage::wire {

// What a decoder accepts. Each limit exceeded is its own Errc (see base/errc.h). The defaults
// are the server's, for what clients send; push_decode_limits() is what a client reading the
// server's pushes uses.
struct DecodeLimits {
    // Largest packet, outer or inner (Errc::packet_too_large): a compressed packet's inner
    // packets obey the same limit as the packets around it.
    std::size_t packet_bytes_max = limits::kClientPacketBytesMax;
    // Inflated bytes one decode call may produce in all (Errc::decompressed_too_large),
    // checked while inflating. A client's is its packet limit: compression must not let in
    // what the packet limit keeps out.
    std::size_t decompressed_bytes_max = limits::kClientPacketBytesMax;
    // Inner packets one compressed body may hold (Errc::too_many_inner_packets).
    std::size_t inner_packets_max = limits::kClientInnerPacketsMax;
    // Packets, outer and inner together, one decode call may yield (Errc::packet_flood): the
    // connection's packet budget, so a small input cannot stand for unbounded work.
    std::size_t packets_max = SIZE_MAX;
    // Memory one inflation may allocate inside zlib or brotli (Errc::decompressed_too_large
    // past it): their state and window, never the size the stream claims.
    std::size_t inflate_memory_bytes_max = limits::kInflateMemoryBytesMax;
};

// The limits a client uses to read the server's pushes: whole batches, compressed.
DecodeLimits push_decode_limits();

// Reads a header from the first 16 bytes. Errc::packet_too_short when fewer are given,
// Errc::bad_header_length, Errc::bad_packet_length, Errc::packet_too_large,
// Errc::bad_protocol_version.
Result<Header> decode_header(std::string_view bytes, const DecodeLimits& limits);

// Appends one packet (header + body) to `out`.
void append_packet(std::string& out, ProtocolVersion version, Operation operation, std::uint32_t sequence,
                   std::string_view body);

// Decodes every packet in `bytes`, which must hold whole packets only (a WebSocket message,
// or a whole TCP stream segment already cut by StreamReassembler). Version 2/3 packets are
// inflated (bounded by `limits`) and their inner packets appended in order; an inner
// compressed packet is Errc::nested_too_deep. Trailing partial bytes are
// Errc::packet_too_short. On error nothing is appended.
Status decode_packets(std::string_view bytes, const DecodeLimits& limits, std::vector<Packet>& out);

// zlib (RFC 1950) and brotli. Inflation stops with Errc::decompressed_too_large as soon as the
// output would pass `output_bytes_max`, or the library asks for more than `memory_bytes_max`
// of working memory (a brotli stream may declare a 16 MiB window); a corrupt or truncated
// stream is Errc::decompress_failed.
std::string zlib_compress(std::string_view input);
Result<std::string> zlib_decompress(std::string_view input, std::size_t output_bytes_max,
                                    std::size_t memory_bytes_max = limits::kInflateMemoryBytesMax);
std::string brotli_compress(std::string_view input);
Result<std::string> brotli_decompress(std::string_view input, std::size_t output_bytes_max,
                                      std::size_t memory_bytes_max = limits::kInflateMemoryBytesMax);

// Encodes a batch of JSON push bodies (each becomes one op 5, version 0 packet) for a client
// that asked for `protover`: 0 (or 1) → the packets concatenated; 2 → one op 5 packet of
// version 2 whose body is zlib(concatenation); 3 → the same with brotli. The result is sent
// as one WebSocket message or written as-is to a TCP stream.
std::string encode_push_batch(std::span<const std::string> json_bodies, ProtocolVersion protover);

// Reassembles packets from a TCP byte stream that arrives in arbitrary pieces.
// Owner thread only.
class StreamReassembler {
public:
    explicit StreamReassembler(DecodeLimits limits = {}) : limits_(limits) {}

    // Adds bytes and decodes every packet now complete into `out` (inflating as
    // decode_packets does), at most `packets_max` of them (Errc::packet_flood past it).
    // After an error the stream is unusable: the caller closes it.
    Status feed(std::string_view bytes, std::vector<Packet>& out, std::size_t packets_max = SIZE_MAX);

    // Bytes held that do not yet form a whole packet.
    std::size_t pending_bytes() const { return buffer_.size() - consumed_; }

private:
    DecodeLimits limits_;
    std::string buffer_;
    std::size_t consumed_ = 0;
};

}  // namespace barrage::wire
