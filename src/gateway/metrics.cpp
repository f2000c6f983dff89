#include "gateway/metrics.h"

#include <functional>

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
    {"barrage_publish_rejected_total", "counter", "Sends refused (validation, rate limit).",
     &LoopCounters::publish_rejected_total},
    {"barrage_batches_encoded_total", "counter", "Room batches encoded (once per key in use).",
     &LoopCounters::batches_encoded_total},
    {"barrage_batches_stretched_total", "counter",
     "Room batches sent while the room's interval was stretched: delivering the batch before took its home loop "
     "long (rooms.delivery_share_max).",
     &LoopCounters::batches_stretched_total},
    {"barrage_frames_delivered_total", "counter", "Shared frames queued to connections.",
     &LoopCounters::frames_delivered_total},
    {"barrage_bytes_delivered_total", "counter", "Bytes queued to connections.", &LoopCounters::bytes_delivered_total},
    {"barrage_outbound_overflow_total", "counter",
     "Connections closed for a full outbound queue: too slow even for sampled batches (critical class).",
     &LoopCounters::outbound_overflow_total},
    {"barrage_shed_sampled_total", "counter",
     "Normal messages (danmaku) left out for receivers that fell behind (sampled, per receiver).",
     &LoopCounters::shed_sampled_total},
    {"barrage_shed_coalesced_total", "counter",
     "Low messages (counts, like clicks, enters) left out for receivers behind: the latest of each kind went.",
     &LoopCounters::shed_coalesced_total},
    {"barrage_shed_budget_sampled_total", "counter",
     "Normal messages left out by rooms' per-viewer danmaku budget (per receiver).",
     &LoopCounters::shed_budget_sampled_total},
    {"barrage_writes_waited_total", "counter", "Writes the socket could not take at once (slow or far readers).",
     &LoopCounters::writes_waited_total},
    {"barrage_protocol_errors_total", "counter", "Connections closed for malformed input.",
     &LoopCounters::protocol_errors_total},
    {"barrage_heartbeats_total", "counter", "Heartbeats answered.", &LoopCounters::heartbeats_total},
    {"barrage_heartbeats_deferred_total", "counter",
     "Heartbeats that came sooner than the reply interval and were answered by the sweep.",
     &LoopCounters::heartbeats_deferred_total},
    {"barrage_sessions_failed_total", "counter", "Connections whose reader ended with an exception (closed alone).",
     &LoopCounters::sessions_failed_total},
    {"barrage_joins_refused_total", "counter", "Joins refused for the join rate of an address or a user.",
     &LoopCounters::joins_refused_total},
    {"barrage_replay_encodings_total", "counter",
     "History blocks encoded for joiners' replays (whole blocks once per key).", &LoopCounters::replay_encodings_total},
    {"barrage_like_taps_total", "counter", "Like taps added to rooms' totals.", &LoopCounters::like_taps_total},
    {"barrage_like_taps_capped_total", "counter", "Like taps over a user's per-second cap: counted, not added.",
     &LoopCounters::like_taps_capped_total},
    {"barrage_moderation_refused_total", "counter",
     "Sends refused by a room's moderation (bans, mutes, room mute, chat modes, slow mode, flood).",
     &LoopCounters::moderation_refused_total},
    {"barrage_moderation_actions_total", "counter", "Moderation actions taken (mutes, bans, kicks, modes, ...).",
     &LoopCounters::moderation_actions_total},
    {"barrage_connections_kicked_total", "counter", "Connections closed because their user was kicked or banned.",
     &LoopCounters::connections_kicked_total},
    {"barrage_words_blocked_total", "counter", "Messages the word filter refused.", &LoopCounters::words_blocked_total},
    {"barrage_words_masked_total", "counter", "Messages sent with words masked by the word filter.",
     &LoopCounters::words_masked_total},
    {"barrage_bot_welcomes_total", "counter", "Welcomes said by rooms' built-in bots.",
     &LoopCounters::bot_welcomes_total},
    {"barrage_bot_replies_total", "counter", "Keyword auto-replies said by rooms' built-in bots.",
     &LoopCounters::bot_replies_total},
    {"barrage_bot_announcements_total", "counter", "Scheduled announcements said by rooms' built-in bots.",
     &LoopCounters::bot_announcements_total},
    {"barrage_bot_announcements_offline_total", "counter",
     "Live-only announcements that came due while the host was not live (not said).",
     &LoopCounters::bot_announcements_offline_total},
};

std::uint64_t sum(const std::vector<const LoopCounters*>& loops,
                  const std::function<const std::atomic<std::uint64_t>&(const LoopCounters&)>& field) {
    std::uint64_t total = 0;
    for (const auto* loop : loops) {
        total += field(*loop).load(std::memory_order_relaxed);
    }
    return total;
}

}  // namespace

std::optional<std::size_t> close_cause_index(std::error_code cause) {
    if (cause.category() != barrage_category()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < kCloseCauses.size(); ++i) {
        if (static_cast<int>(kCloseCauses[i].code) == cause.value()) {
            return i;
        }
    }
    return std::nullopt;
}

void append_metric(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                   std::uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, type, value);
}

std::string render_metrics(const std::vector<const LoopCounters*>& loops, std::uint64_t rooms) {
    std::string out;
    for (const auto& metric : kMetrics) {
        append_metric(out, metric.name, metric.type, metric.help,
                      sum(
                          loops, [&](const LoopCounters& loop) -> const auto& { return loop.*metric.field; }));
    }
    out +=
        "# HELP barrage_connections_closed_total Connections the server closed, by the client's fault.\n"
        "# TYPE barrage_connections_closed_total counter\n";
    for (std::size_t i = 0; i < kCloseCauses.size(); ++i) {
        out +=
            fmt::format("barrage_connections_closed_total{{cause=\"{}\",code=\"{}\"}} {}\n", kCloseCauses[i].name,
                        static_cast<int>(kCloseCauses[i].code),
                        sum(
                            loops, [&](const LoopCounters& loop) -> const auto& { return loop.closed_by_cause[i]; }));
    }
    out += fmt::format("# HELP barrage_rooms Rooms served.\n# TYPE barrage_rooms gauge\nbarrage_rooms {}\n", rooms);
    out += fmt::format(
        "# HELP barrage_io_threads I/O loops.\n# TYPE barrage_io_threads gauge\n"
        "barrage_io_threads {}\n",
        loops.size());
    return out;
}

}  // namespace barrage::gateway
