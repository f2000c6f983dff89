#include "loadgen/delivery_recorder.h"

#include "loadgen/marker.h"

namespace barrage::loadgen {

DeliveryRecorder::DeliveryRecorder(std::size_t index_count) : per_index_(index_count, 0) {}

void DeliveryRecorder::record_payload(std::string_view payload, std::int64_t now_ns) {
    std::uint64_t found = 0;
    scan_markers(payload, [&](const Marker& marker) {
        if (marker.index >= per_index_.size()) {
            ++out_of_range_;
            return;
        }
        ++per_index_[marker.index];
        const std::int64_t latency_ns = now_ns - marker.send_ns;
        latency_.record_us(latency_ns > 0 ? static_cast<std::uint64_t>(latency_ns) / 1000 : 0);
        ++found;
    });
    if (found != 0) {
        last_receive_ns_ = now_ns;
        received_.store(received_.load(std::memory_order_relaxed) + found, std::memory_order_relaxed);
    }
}

}  // namespace barrage::loadgen
