#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "loadgen/delivery_recorder.h"
#include "loadgen/http_publisher.h"
#include "loadgen/latency_histogram.h"

namespace barrage::loadgen {

// What the subscribers made of the measured gifts: how many of the pushes they received name
// an accepted gift, how many of those were one too many, and how long each took from its
// request being written to its push being read.
struct GiftTally {
    std::uint64_t received = 0;    // receipts of accepted measured gifts, duplicates included
    std::uint64_t duplicated = 0;  // beyond one per subscriber
    LatencyHistogram latency;
};

// Matches gift pushes to the gifts the publisher had accepted, after the run (a push can be
// read before the answer naming its order, so matching while running would miss some).
// Receipts of other orders (the warm-up's) are left out. `subscribers` is how many received
// the pushes in `receipts`, each expected to see every gift once.
GiftTally tally_gifts(const std::vector<GiftSend>& accepted,
                      std::span<const std::vector<DeliveryRecorder::GiftReceipt>* const> receipts,
                      std::uint64_t subscribers);

}  // namespace barrage::loadgen
