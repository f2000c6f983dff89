#include "loadgen/delivery_recorder.h"

#include "loadgen/gift_order.h"
#include "loadgen/marker.h"

namespace barrage::loadgen {

DeliveryRecorder::DeliveryRecorder(std::size_t index_count) : per_index_(index_count, 0) {}

void DeliveryRecorder::track_gifts(std::size_t expected) {
    track_gifts_ = true;
    gift_receipts_.reserve(expected);
}

// The native dialect puts "cmd" first (message/native_dialect.cpp), so one prefix test tells
// a gift from the danmaku around it.
bool DeliveryRecorder::record_gift(std::string_view payload, std::int64_t now_ns) {
    constexpr std::string_view kGiftStart = R"({"cmd":"gift")";
    if (!payload.starts_with(kGiftStart)) {
        return false;
    }
    gift_receipts_.push_back({.order_id = order_id_in(payload).value_or(0), .receive_ns = now_ns});
    return true;
}

void DeliveryRecorder::record_payload(std::string_view payload, std::int64_t now_ns) {
    if (track_gifts_ && record_gift(payload, now_ns)) {
        return;
    }
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
