#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "loadgen/latency_histogram.h"

namespace barrage::loadgen {

// What the subscribers of one client thread received: a count per publish index (for loss and
// duplicates) and the latency of every delivery. Sized once for the whole run, so recording
// a delivery never allocates.
// Owner thread only, except received() which any thread may poll; read the rest after the
// owner thread has stopped.
class DeliveryRecorder {
public:
    // `index_count`: publish indices 0..index_count-1 are tracked; larger ones are counted as
    // out of range (they would mean a marker was corrupted).
    explicit DeliveryRecorder(std::size_t index_count);

    // Records every measured marker in one pushed message, received at `now_ns`, or, once
    // gifts are tracked, the gift it is.
    void record_payload(std::string_view payload, std::int64_t now_ns);

    // Tracks native-dialect gift pushes too ({"cmd":"gift",...,"order_id":N,...}), expecting
    // about `expected` of them on this thread (reserved now, so recording stays allocation-free).
    void track_gifts(std::size_t expected);

    // A gift push: its ledger order and when it arrived; matched to the sends after the run.
    struct GiftReceipt {
        std::uint64_t order_id = 0;
        std::int64_t receive_ns = 0;
    };
    const std::vector<GiftReceipt>& gift_receipts() const { return gift_receipts_; }

    std::uint64_t received() const { return received_.load(std::memory_order_relaxed); }

    // Deliveries of index i on this thread.
    std::uint32_t count_of(std::size_t index) const { return per_index_[index]; }
    std::size_t index_count() const { return per_index_.size(); }
    const LatencyHistogram& latency() const { return latency_; }
    std::uint64_t out_of_range() const { return out_of_range_; }
    std::int64_t last_receive_ns() const { return last_receive_ns_; }

private:
    bool record_gift(std::string_view payload, std::int64_t now_ns);

    std::vector<std::uint32_t> per_index_;
    bool track_gifts_ = false;
    std::vector<GiftReceipt> gift_receipts_;
    LatencyHistogram latency_;
    // Written by the owner thread only; atomic so the driver can watch progress.
    std::atomic<std::uint64_t> received_{0};
    std::uint64_t out_of_range_ = 0;
    std::int64_t last_receive_ns_ = 0;
};

}  // namespace barrage::loadgen
