#include "loadgen/gift_tally.h"

#include <algorithm>
#include <unordered_map>

namespace barrage::loadgen {

GiftTally tally_gifts(const std::vector<GiftSend>& accepted,
                      std::span<const std::vector<DeliveryRecorder::GiftReceipt>* const> receipts,
                      std::uint64_t subscribers) {
    struct Seen {
        std::int64_t send_ns = 0;
        std::uint64_t count = 0;
    };
    std::unordered_map<std::uint64_t, Seen> by_order;
    by_order.reserve(accepted.size());
    for (const GiftSend& gift : accepted) {
        by_order.emplace(gift.order_id, Seen{.send_ns = gift.send_ns});
    }
    GiftTally tally;
    for (const auto* list : receipts) {
        for (const auto& receipt : *list) {
            const auto found = by_order.find(receipt.order_id);
            if (found == by_order.end()) {
                continue;
            }
            ++found->second.count;
            ++tally.received;
            const std::int64_t latency_ns = receipt.receive_ns - found->second.send_ns;
            tally.latency.record_us(latency_ns > 0 ? static_cast<std::uint64_t>(latency_ns) / 1000 : 0);
        }
    }
    for (const auto& [order, seen] : by_order) {
        tally.duplicated += seen.count > subscribers ? seen.count - subscribers : 0;
    }
    return tally;
}

}  // namespace barrage::loadgen
