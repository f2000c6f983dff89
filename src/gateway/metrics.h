#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/errc.h"

namespace barrage::gateway {

// Why the server closed a connection, for barrage_connections_closed_total{cause=...}: the
// client's mistakes and abuses (our Errc), each counted apart.
struct CloseCause {
    Errc code;
    const char* name;  // the label value
};
inline constexpr std::array kCloseCauses{
    CloseCause{Errc::packet_too_short, "packet_too_short"},
    CloseCause{Errc::bad_header_length, "bad_header_length"},
    CloseCause{Errc::packet_too_large, "packet_too_large"},
    CloseCause{Errc::bad_packet_length, "bad_packet_length"},
    CloseCause{Errc::bad_protocol_version, "bad_protocol_version"},
    CloseCause{Errc::decompress_failed, "decompress_failed"},
    CloseCause{Errc::decompressed_too_large, "decompressed_too_large"},
    CloseCause{Errc::nested_too_deep, "nested_too_deep"},
    CloseCause{Errc::auth_timeout, "auth_timeout"},
    CloseCause{Errc::auth_required, "auth_required"},
    CloseCause{Errc::heartbeat_timeout, "heartbeat_timeout"},
    CloseCause{Errc::outbound_overflow, "outbound_overflow"},
    CloseCause{Errc::websocket_protocol, "websocket_protocol"},
    CloseCause{Errc::websocket_too_large, "websocket_too_large"},
    CloseCause{Errc::packet_flood, "packet_flood"},
    CloseCause{Errc::too_many_inner_packets, "too_many_inner_packets"},
    CloseCause{Errc::bad_utf8, "bad_utf8"},
};

// The index of `cause` in kCloseCauses, or nullopt for causes not counted apart.
std::optional<std::size_t> close_cause_index(std::error_code cause);

// Counters of one loop. Written only by the owner loop (relaxed, no contention); read by any
// thread for /metrics, which sums the loops.
struct LoopCounters {
    std::atomic<std::uint64_t> connections_open{0};
    std::atomic<std::uint64_t> connections_total{0};
    std::atomic<std::uint64_t> auth_failures_total{0};
    std::atomic<std::uint64_t> messages_published_total{0};
    std::atomic<std::uint64_t> publish_rejected_total{0};
    std::atomic<std::uint64_t> batches_encoded_total{0};
    std::atomic<std::uint64_t> batches_stretched_total{0};
    std::atomic<std::uint64_t> frames_delivered_total{0};
    std::atomic<std::uint64_t> bytes_delivered_total{0};
    std::atomic<std::uint64_t> outbound_overflow_total{0};
    std::atomic<std::uint64_t> shed_sampled_total{0};         // normal messages sampled out for receivers behind
    std::atomic<std::uint64_t> shed_coalesced_total{0};       // low messages coalesced for receivers behind
    std::atomic<std::uint64_t> shed_budget_sampled_total{0};  // normal messages left out by a room's budget
    std::atomic<std::uint64_t> writes_waited_total{0};        // the socket was full: a write waited
    std::atomic<std::uint64_t> protocol_errors_total{0};
    std::atomic<std::uint64_t> heartbeats_total{0};
    std::atomic<std::uint64_t> heartbeats_deferred_total{0};        // answered later, by the sweep
    std::atomic<std::uint64_t> sessions_failed_total{0};            // an exception ended the reader
    std::atomic<std::uint64_t> joins_refused_total{0};              // join rate per address or user
    std::atomic<std::uint64_t> replay_encodings_total{0};           // history blocks encoded for joins
    std::atomic<std::uint64_t> like_taps_total{0};                  // like taps added to rooms' totals
    std::atomic<std::uint64_t> like_taps_capped_total{0};           // over a user's per-second cap
    std::atomic<std::uint64_t> moderation_refused_total{0};         // sends refused by moderation rules
    std::atomic<std::uint64_t> moderation_actions_total{0};         // mutes, bans, kicks, modes, ...
    std::atomic<std::uint64_t> connections_kicked_total{0};         // closed by a kick or ban
    std::atomic<std::uint64_t> words_blocked_total{0};              // messages the word filter refused
    std::atomic<std::uint64_t> words_masked_total{0};               // messages sent with words masked
    std::atomic<std::uint64_t> bot_welcomes_total{0};               // built-in bots' welcomes said
    std::atomic<std::uint64_t> bot_replies_total{0};                // built-in bots' auto-replies said
    std::atomic<std::uint64_t> bot_announcements_total{0};          // scheduled announcements said
    std::atomic<std::uint64_t> bot_announcements_offline_total{0};  // due while not live (live_only)
    std::array<std::atomic<std::uint64_t>, kCloseCauses.size()> closed_by_cause{};

    static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
        counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    static void sub(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
        counter.store(counter.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
    }
};

// Prometheus text exposition of the summed counters.
std::string render_metrics(const std::vector<const LoopCounters*>& loops, std::uint64_t rooms);

// Appends one metric in Prometheus text (HELP, TYPE, value).
void append_metric(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                   std::uint64_t value);

}  // namespace barrage::gateway
