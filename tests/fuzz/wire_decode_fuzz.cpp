// libFuzzer target for the wire decoder: hostile bytes as a WebSocket message
// (decode_packets) and as a TCP stream cut into pieces (StreamReassembler).
//
// Properties checked besides "no crash, no sanitizer report":
//   - on error decode_packets appends nothing;
//   - if the whole input decodes, every split of it reassembles to the same packets with
//     nothing pending (a split never has more inflation budget per call than the whole);
//   - every inflated output stays within its limit.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "wire/codec.h"

namespace {

using barrage::wire::DecodeLimits;
using barrage::wire::Packet;

// Small limits so the fuzzer reaches every limit check quickly and a bomb costs little.
constexpr DecodeLimits kLimits{.packet_bytes_max = 64 * 1024, .decompressed_bytes_max = 256 * 1024};

bool same_packets(const std::vector<Packet>& left, const std::vector<Packet>& right) {
    if (left.size() != right.size()) {
        return false;
    }
    for (std::size_t i = 0; i < left.size(); ++i) {
        if (left[i].version != right[i].version || left[i].operation != right[i].operation ||
            left[i].sequence != right[i].sequence || left[i].body != right[i].body) {
            return false;
        }
    }
    return true;
}

// Feeds `bytes` in pieces of `piece_bytes` (the last one shorter). Returns whether every
// feed succeeded; the packets and pending count are left in the out-parameters.
bool reassemble(std::string_view bytes, std::size_t piece_bytes, std::vector<Packet>& out, std::size_t& pending) {
    barrage::wire::StreamReassembler reassembler(kLimits);
    for (std::size_t offset = 0; offset < bytes.size(); offset += piece_bytes) {
        if (!reassembler.feed(bytes.substr(offset, piece_bytes), out)) {
            return false;
        }
    }
    pending = reassembler.pending_bytes();
    return true;
}

void check_splits(std::string_view bytes, bool whole_ok, const std::vector<Packet>& whole) {
    // Byte by byte is the hardest split; it stays linear because each feed rescans only the
    // one pending header. The input's first byte picks one more split size.
    const std::size_t first = bytes.empty() ? 1 : static_cast<std::uint8_t>(bytes[0]) % 61 + 1;
    for (const std::size_t piece_bytes :
         {std::size_t{1}, std::size_t{7}, std::size_t{16}, std::size_t{17}, first, bytes.size() / 2 + 1}) {
        std::vector<Packet> pieces;
        std::size_t pending = 0;
        const bool ok = reassemble(bytes, piece_bytes, pieces, pending);
        if (whole_ok) {
            BARRAGE_ASSERT(ok);
            BARRAGE_ASSERT(pending == 0);
            BARRAGE_ASSERT(same_packets(pieces, whole));
        }
    }
}

void check_decompressors(std::string_view bytes) {
    // Raw input straight into both decompressors, as a corrupt or hostile body would arrive.
    const std::size_t output_bytes_max = 64 * 1024;
    if (auto out = barrage::wire::zlib_decompress(bytes, output_bytes_max)) {
        BARRAGE_ASSERT(out->size() <= output_bytes_max);
    }
    if (auto out = barrage::wire::brotli_decompress(bytes, output_bytes_max)) {
        BARRAGE_ASSERT(out->size() <= output_bytes_max);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    std::vector<Packet> whole;
    const auto status = barrage::wire::decode_packets(bytes, kLimits, whole);
    if (!status) {
        BARRAGE_ASSERT(whole.empty());
    }
    std::size_t body_bytes = 0;
    for (const Packet& packet : whole) {
        BARRAGE_ASSERT(packet.version <= 1);
        body_bytes += packet.body.size();
    }
    BARRAGE_ASSERT(body_bytes <= size + kLimits.decompressed_bytes_max);

    check_splits(bytes, static_cast<bool>(status), whole);
    check_decompressors(bytes);
    return 0;
}
