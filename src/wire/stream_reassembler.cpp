#include "wire/codec.h"

namespace barrage::wire {

namespace {

// Dropping consumed bytes from the front moves the tail; doing it only once the consumed part
// is at least half the buffer keeps that cost amortised O(1) per byte.
void compact(std::string& buffer, std::size_t& consumed) {
    if (consumed == buffer.size()) {
        buffer.clear();
        consumed = 0;
        return;
    }
    if (consumed >= buffer.size() / 2) {
        buffer.erase(0, consumed);
        consumed = 0;
    }
}

}  // namespace

Status StreamReassembler::feed(std::string_view bytes, std::vector<Packet>& out, std::size_t packets_max) {
    buffer_.append(bytes);
    const std::string_view held = std::string_view(buffer_).substr(consumed_);

    // Find the run of whole packets. Every header is checked as soon as its 16 bytes are
    // here, so an oversized length closes the stream before its body is ever buffered: held
    // bytes stay below one packet_bytes_max plus the last piece fed.
    std::size_t whole = 0;
    std::size_t count = 0;
    while (held.size() - whole >= limits::kHeaderBytes) {
        auto header = decode_header(held.substr(whole), limits_);
        if (!header) {
            return header.error();
        }
        if (header->packet_length > held.size() - whole) {
            break;
        }
        whole += header->packet_length;
        if (++count > packets_max) {
            return make_error_code(Errc::packet_flood);  // before any of them is inflated
        }
    }
    if (whole == 0) {
        return {};
    }

    // One decode_packets call per feed: the run shares one inflation budget, like a
    // WebSocket message does.
    DecodeLimits limits = limits_;
    limits.packets_max = packets_max;
    if (auto status = decode_packets(held.substr(0, whole), limits, out); !status) {
        return status;
    }
    consumed_ += whole;
    compact(buffer_, consumed_);
    return {};
}

}  // namespace barrage::wire
