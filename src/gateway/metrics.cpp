#include "gateway/metrics.h"

#include <fmt/format.h>

namespace barrage::gateway {

namespace {

struct MetricInfo {
    const char* name;
    const char* type;
    const char* help;
    std::atomic<std::uint64_t> LoopCounters::*field;
};

constexpr MetricInfo kMetrics[] = {
    {"barrage_connections_open", "gauge", "Long connections open now.", &LoopCounters::connections_open},
    {"barrage_connections_total", "counter", "Long connections accepted.", &LoopCounters::connections_total},
    {"barrage_auth_failures_total", "counter", "Auth packets refused.", &LoopCounters::auth_failures_total},
    {"barrage_messages_published_total", "counter", "Room messages accepted.", &LoopCounters::messages_published_total},
    {"barrage_publish_rejected_total", "counter", "Sends refused (validation, rate limit).", &LoopCounters::publish_rejected_total},
    {"barrage_batches_encoded_total", "counter", "Room batches encoded (once per key in use).", &LoopCounters::batches_encoded_total},
    {"barrage_frames_delivered_total", "counter", "Shared frames queued to connections.", &LoopCounters::frames_delivered_total},
    {"barrage_bytes_delivered_total", "counter", "Bytes queued to connections.", &LoopCounters::bytes_delivered_total},
    {"barrage_outbound_overflow_total", "counter", "Connections closed for a full outbound queue.", &LoopCounters::outbound_overflow_total},
    {"barrage_writes_waited_total", "counter", "Writes the socket could not take at once (slow or far readers).", &LoopCounters::writes_waited_total},
    {"barrage_protocol_errors_total", "counter", "Connections closed for malformed input.", &LoopCounters::protocol_errors_total},
    {"barrage_heartbeats_total", "counter", "Heartbeats answered.", &LoopCounters::heartbeats_total},
};

}  // namespace

std::string render_metrics(const std::vector<const LoopCounters*>& loops, std::uint64_t rooms) {
    std::string out;
    for (const auto& metric : kMetrics) {
        std::uint64_t sum = 0;
        for (const auto* loop : loops) {
            sum += (loop->*metric.field).load(std::memory_order_relaxed);
        }
        out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", metric.name, metric.help,
                           metric.type, sum);
    }
    out += fmt::format("# HELP barrage_rooms Rooms served.\n# TYPE barrage_rooms gauge\nbarrage_rooms {}\n",
                       rooms);
    out += fmt::format("# HELP barrage_io_threads I/O loops.\n# TYPE barrage_io_threads gauge\n"
                       "barrage_io_threads {}\n",
                       loops.size());
    return out;
}

}  // namespace barrage::gateway
