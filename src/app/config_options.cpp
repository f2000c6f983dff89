#include "app/config_options.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "base/limits.h"
#include "security/connection_caps.h"

namespace barrage::app {

namespace {

using Kind = ConfigOption::Kind;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw std::runtime_error(fmt::format("config: {}: {}", where, what));
}

std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

// An option whose value is a field of Config, reached by `field`: its kind follows the
// field's type (integers, floating point, bool, std::string, a list of strings).
template <class Field>
ConfigOption field_option(std::string_view section, std::string_view key, double min, double max,
                          Field& (*field)(Config&), std::string_view why) {
    ConfigOption option;
    option.section = section;
    option.key = key;
    option.min = min;
    option.max = max;
    option.why = why;
    if constexpr (std::is_same_v<Field, bool>) {
        option.kind = Kind::boolean;
    } else if constexpr (std::is_integral_v<Field>) {
        option.kind = Kind::integer;
    } else if constexpr (std::is_floating_point_v<Field>) {
        option.kind = Kind::number;
    } else if constexpr (std::is_same_v<Field, std::string>) {
        option.kind = Kind::string;
    } else {
        static_assert(std::is_same_v<Field, std::vector<std::string>>);
        option.kind = Kind::strings;
    }
    option.store = [field](Config& config, const toml::node& node) -> std::optional<std::string> {
        if constexpr (std::is_same_v<Field, bool>) {
            field(config) = *node.value<bool>();
        } else if constexpr (std::is_integral_v<Field>) {
            field(config) = static_cast<Field>(*node.value<std::int64_t>());
        } else if constexpr (std::is_floating_point_v<Field>) {
            field(config) = *node.value<double>();
        } else if constexpr (std::is_same_v<Field, std::string>) {
            field(config) = *node.value<std::string>();
        } else {
            auto& list = field(config);
            list.clear();
            for (const auto& item : *node.as_array()) {
                list.push_back(*item.value<std::string>());
            }
        }
        return std::nullopt;
    };
    option.show = [field](const Config& config) {
        Config copy = config;
        const auto& value = field(copy);
        if constexpr (std::is_same_v<Field, bool>) {
            return std::string(value ? "true" : "false");
        } else if constexpr (std::is_arithmetic_v<Field>) {
            return fmt::format("{}", value);
        } else if constexpr (std::is_same_v<Field, std::string>) {
            return toml_string(value);
        } else {
            std::string out = "[";
            for (const auto& item : value) {
                out += (out.size() > 1 ? ", " : "") + toml_string(item);
            }
            return out + "]";
        }
    };
    return option;
}

// An option spelled as one of `choices`, kept in Config by `set`/`get`.
ConfigOption choice_option(std::string_view section, std::string_view key, std::vector<std::string_view> choices,
                           std::function<void(Config&, std::string_view)> set,
                           std::function<std::string(const Config&)> get, std::string_view why) {
    ConfigOption option;
    option.section = section;
    option.key = key;
    option.kind = Kind::choice;
    option.choices = std::move(choices);
    option.why = why;
    option.store = [set = std::move(set)](Config& config, const toml::node& node) -> std::optional<std::string> {
        set(config, *node.value<std::string_view>());
        return std::nullopt;
    };
    option.show = [get = std::move(get)](const Config& config) { return toml_string(get(config)); };
    return option;
}

std::string_view enter_events_name(gateway::EnterEvents events) {
    switch (events) {
        case gateway::EnterEvents::none: return "none";
        case gateway::EnterEvents::users: return "users";
        case gateway::EnterEvents::all: return "all";
    }
    return "users";
}

// An option given per minute in the file and kept per second (wrong identity codes: "ten a
// minute" reads better than 0.1666…).
ConfigOption per_minute_option(std::string_view section, std::string_view key, double min, double max,
                               double& (*field)(Config&), std::string_view why) {
    auto option = field_option(section, key, min, max, field, why);
    option.store = [field](Config& config, const toml::node& node) -> std::optional<std::string> {
        field(config) = *node.value<double>() / 60.0;
        return std::nullopt;
    };
    option.show = [field](const Config& config) {
        Config copy = config;
        return fmt::format("{}", field(copy) * 60.0);
    };
    return option;
}

// "90s", "10m", "1h", "1d" in milliseconds; nullopt for anything else.
std::optional<Millis> parse_duration(std::string_view text) {
    if (text.size() < 2 || text.size() > 12) {
        return std::nullopt;
    }
    Millis unit_ms = 0;
    switch (text.back()) {
        case 's': unit_ms = 1000; break;
        case 'm': unit_ms = 60'000; break;
        case 'h': unit_ms = 3'600'000; break;
        case 'd': unit_ms = 86'400'000; break;
        default: return std::nullopt;
    }
    Millis count = 0;
    for (const char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        count = count * 10 + (c - '0');
    }
    return count > 0 && count <= 366 * 86'400 ? std::optional(count * unit_ms) : std::nullopt;
}

std::string duration_text(Millis ms) {
    constexpr std::pair<Millis, char> kUnits[] = {{86'400'000, 'd'}, {3'600'000, 'h'}, {60'000, 'm'}};
    for (const auto& [unit_ms, unit] : kUnits) {
        if (ms % unit_ms == 0) {
            return fmt::format("{}{}", ms / unit_ms, unit);
        }
    }
    return fmt::format("{}s", ms / 1000);
}

// The ban ladder: a list of durations, each longer than the one before.
ConfigOption ban_steps_option() {
    ConfigOption option;
    option.section = "open_limits";
    option.key = "ban_steps";
    option.kind = Kind::strings;
    option.why = "how long each ban lasts: the first, then each repeat within the window (the last for all after)";
    option.store = [](Config& config, const toml::node& node) -> std::optional<std::string> {
        std::vector<Millis> steps;
        for (const auto& item : *node.as_array()) {
            const auto text = *item.value<std::string>();
            const auto step = parse_duration(text);
            if (!step) {
                return fmt::format("\"{}\" is not a duration like 90s, 10m, 1h or 1d", text);
            }
            if (!steps.empty() && *step < steps.back()) {
                return "each step must be at least as long as the one before";
            }
            steps.push_back(*step);
        }
        if (steps.empty() || steps.size() > 16) {
            return "must list 1 to 16 durations";
        }
        config.open_limits.bans.steps_ms = std::move(steps);
        return std::nullopt;
    };
    option.show = [](const Config& config) {
        std::string out = "[";
        for (const auto step : config.open_limits.bans.steps_ms) {
            out += (out.size() > 1 ? ", " : "") + toml_string(duration_text(step));
        }
        return out + "]";
    };
    return option;
}

// The public URLs games are told to connect to: ws:// or wss:// URLs of our /sub.
ConfigOption wss_links_option() {
    ConfigOption option;
    option.section = "open";
    option.key = "wss_links";
    option.kind = Kind::strings;
    option.why = "public ws:// or wss:// URLs of /sub that /v2/app/start names in wss_link (empty: the address called)";
    option.store = [](Config& config, const toml::node& node) -> std::optional<std::string> {
        std::vector<std::string> links;
        for (const auto& item : *node.as_array()) {
            auto link = *item.value<std::string>();
            const bool scheme = link.starts_with("ws://") || link.starts_with("wss://");
            const bool printable = std::all_of(link.begin(), link.end(), [](char c) { return c > ' ' && c < 0x7F; });
            if (!scheme || !printable || link.size() > 256) {
                return fmt::format("\"{}\" is not a ws:// or wss:// URL of at most 256 printable characters", link);
            }
            links.push_back(std::move(link));
        }
        if (links.size() > 8) {
            return "must list at most 8 URLs";
        }
        config.open_wss_links = std::move(links);
        return std::nullopt;
    };
    option.show = [](const Config& config) {
        std::string out = "[";
        for (const auto& link : config.open_wss_links) {
            out += (out.size() > 1 ? ", " : "") + toml_string(link);
        }
        return out + "]";
    };
    return option;
}

std::vector<ConfigOption> make_options() {
    std::vector<ConfigOption> options;
    const auto add = [&options](ConfigOption option) { options.push_back(std::move(option)); };

    // [server]
    add(field_option(
        "server", "listen_address", 0, 0, +[](Config& c) -> std::string& { return c.listen_address; },
        "address both listeners bind"));
    add(field_option(
        "server", "http_port", 0, 65535, +[](Config& c) -> std::uint16_t& { return c.http_port; },
        "REST API, WebSocket /sub, /metrics, /healthz; 0 picks a free port"));
    add(field_option(
        "server", "tcp_port", 0, 65535, +[](Config& c) -> std::uint16_t& { return c.tcp_port; },
        "raw TCP packets, as Bilibili's port 2243; 0 picks a free port"));
    add(field_option(
        "server", "io_threads", 0, 256, +[](Config& c) -> std::size_t& { return c.io_threads; },
        "event loops; 0 = one per core"));
    add(field_option(
        "server", "data_dir", 0, 0, +[](Config& c) -> std::string& { return c.data_dir; },
        "where the SQLite database lives"));
    add(field_option(
        "server", "log_level", 0, 0, +[](Config& c) -> std::string& { return c.log_level; },
        "trace, debug, info, warn, error, critical or off"));

    // [auth]
    add(field_option(
        "auth", "token_secret", 0, 0, +[](Config& c) -> std::string& { return c.token_secret; },
        "HS256 secret for user tokens; empty = generated once and kept in the data directory"));
    add(field_option(
        "auth", "token_ttl_s", 1, 365.0 * 24 * 3600, +[](Config& c) -> std::int64_t& { return c.token_ttl_s; },
        "lifetime of tokens `barrage token` prints"));

    // [connection]
    add(field_option(
        "connection", "auth_timeout_ms", 10, 600'000, +[](Config& c) -> Millis& { return c.session.auth_timeout_ms; },
        "op 7 must arrive within this (Bilibili: about 5 s)"));
    add(field_option(
        "connection", "heartbeat_timeout_ms", 10, 3'600'000,
        +[](Config& c) -> Millis& { return c.session.heartbeat_timeout_ms; },
        "closed after this long without op 2: two lost 30 s beats"));
    add(field_option(
        "connection", "outbound_bytes_max", 4096, 1LL << 30,
        +[](Config& c) -> std::size_t& { return c.session.outbound_bytes_max; },
        "bytes queued for one connection before it is closed to resume from history"));
    add(field_option(
        "connection", "outbound_soft_bytes", 1024, 1LL << 30,
        +[](Config& c) -> std::size_t& { return c.hub.shedding.soft_bytes; },
        "bytes queued past which a connection gets sampled danmaku and the latest counts only"));
    add(field_option(
        "connection", "send_buffer_bytes", 0, 64LL << 20,
        +[](Config& c) -> std::size_t& { return c.send_buffer_bytes; },
        "kernel send buffer of a long connection (SO_SNDBUF); 0 = the kernel's autotuning"));
    add(field_option(
        "connection", "behind_unsent_bytes", 0, 64LL << 20,
        +[](Config& c) -> std::size_t& { return c.session.behind_unsent_bytes; },
        "once a long connection fell behind, what the kernel keeps of it unsent at most (TCP_NOTSENT_LOWAT); 0 = "
        "never capped"));
    auto packet_bytes = field_option(
        "connection", "packet_bytes_max", 0, double(limits::kClientFrameBytesMax),
        +[](Config& c) -> std::size_t& { return c.packet_bytes_max; },
        "largest client packet, inflated bodies included; 0 = 65536");
    packet_bytes.store = [inner = packet_bytes.store](Config& config,
                                                      const toml::node& node) -> std::optional<std::string> {
        const auto value = *node.value<std::int64_t>();
        if (value != 0 && value < 64) {
            return std::string("must be 0 (the built-in limit) or at least 64");
        }
        return inner(config, node);
    };
    add(std::move(packet_bytes));
    add(field_option(
        "connection", "packets_per_s", 0.1, 1e6, +[](Config& c) -> double& { return c.session.packet_rate.per_second; },
        "packets one connection may send per second, counted before inflating; bots exempt"));
    add(field_option(
        "connection", "packet_burst", 1, 1e6, +[](Config& c) -> double& { return c.session.packet_rate.burst; },
        "packets one connection may send at once"));
    add(field_option(
        "connection", "heartbeat_reply_interval_ms", 0, 60'000,
        +[](Config& c) -> Millis& { return c.session.heartbeat_reply_interval_ms; },
        "a heartbeat is answered at most this often"));

    // [security]
    add(field_option(
        "security", "connections_per_address", 0, 1'000'000,
        +[](Config& c) -> std::size_t& { return c.caps.per_address_max; },
        "connections one address (IPv6: its /64) may hold; 0 = no cap"));
    auto proxies = field_option(
        "security", "trusted_proxies", 0, 0,
        +[](Config& c) -> std::vector<std::string>& { return c.caps.trusted_proxies; },
        "proxies whose X-Forwarded-For / X-Real-IP names the client");
    proxies.store = [inner = proxies.store](Config& config, const toml::node& node) -> std::optional<std::string> {
        for (const auto& item : *node.as_array()) {
            if (security::address_key(*item.value<std::string>()).empty()) {
                return fmt::format("\"{}\" is not an IP address", *item.value<std::string>());
            }
        }
        return inner(config, node);
    };
    add(std::move(proxies));
    add(field_option(
        "security", "descriptor_headroom", 0, 100'000,
        +[](Config& c) -> std::size_t& { return c.caps.descriptor_headroom; },
        "descriptors kept free: below it idle HTTP connections are shed"));
    add(field_option(
        "security", "http_idle_timeout_ms", 100, 3'600'000,
        +[](Config& c) -> Millis& { return c.http_idle_timeout_ms; },
        "an idle keep-alive HTTP connection is closed after this"));
    add(field_option(
        "security", "http_idle_timeout_under_pressure_ms", 10, 3'600'000,
        +[](Config& c) -> Millis& { return c.http_idle_timeout_under_pressure_ms; },
        "the same when descriptors run short"));
    add(field_option(
        "security", "joins_per_s_per_address", 0.01, 1e6,
        +[](Config& c) -> double& { return c.joins.per_address.per_second; },
        "room joins one address may make per second"));
    add(field_option(
        "security", "join_burst_per_address", 1, 1e6, +[](Config& c) -> double& { return c.joins.per_address.burst; },
        "room joins one address may make at once"));
    add(field_option(
        "security", "joins_per_s_per_user", 0.01, 1e6,
        +[](Config& c) -> double& { return c.joins.per_user.per_second; },
        "room joins one signed-in user may make per second"));
    add(field_option(
        "security", "join_burst_per_user", 1, 1e6, +[](Config& c) -> double& { return c.joins.per_user.burst; },
        "room joins one signed-in user may make at once"));

    // [rooms]
    add(field_option(
        "rooms", "history_length", 1, double(limits::kHistoryMax),
        +[](Config& c) -> std::size_t& { return c.hub.room.history_length; },
        "messages each room keeps for resuming and GET .../history"));
    add(field_option(
        "rooms", "batch_interval_ms", 0, 1000, +[](Config& c) -> Millis& { return c.hub.room.batch_interval_ms; },
        "a room sends at most one batch per interval; 0 = each message at once"));
    add(field_option(
        "rooms", "delivery_share_max", 0.05, 1, +[](Config& c) -> double& { return c.hub.room.delivery_share_max; },
        "under load a room's batches stretch apart so delivering them takes at most this share of its home "
        "loop; 1 = never stretch"));
    add(field_option(
        "rooms", "batch_messages_max", 1, double(limits::kBatchMessagesMax),
        +[](Config& c) -> std::size_t& { return c.hub.room.batch_messages_max; }, "a batch this full goes at once"));
    add(field_option(
        "rooms", "online_push_interval_ms", 100, 600'000,
        +[](Config& c) -> Millis& { return c.hub.online_push_interval_ms; },
        "how often changed online counts are pushed"));
    add(field_option(
        "rooms", "bot_tick_ms", 10, 60'000, +[](Config& c) -> Millis& { return c.hub.bot_tick_ms; },
        "how often rooms' built-in bots are asked for announcements that came due"));
    add(field_option(
        "rooms", "viewer_danmaku_per_s", 0, 1e6, +[](Config& c) -> double& { return c.hub.room.viewer_danmaku_per_s; },
        "each viewer gets at most about this many danmaku a second, sampled fairly; 0 = every danmaku"));
    add(field_option(
        "rooms", "critical_history_length", 0, double(limits::kHistoryMax),
        +[](Config& c) -> std::size_t& { return c.hub.room.critical_history_length; },
        "gifts, super chats, guards and moderation events kept for resuming clients past the history"));
    add(choice_option(
        "rooms", "enter_events", {"none", "users", "all"},
        [](Config& c, std::string_view text) {
            c.hub.enter_events = text == "none"  ? gateway::EnterEvents::none
                                 : text == "all" ? gateway::EnterEvents::all
                                                 : gateway::EnterEvents::users;
        },
        [](const Config& c) { return std::string(enter_events_name(c.hub.enter_events)); },
        "who announces entering a room: nobody, signed-in users, or everyone"));
    add(field_option(
        "rooms", "resume_messages_max", 1, double(limits::kHistoryMax),
        +[](Config& c) -> std::size_t& { return c.hub.resume_messages_max; },
        "messages replayed at most to a resuming connection"));

    // [likes]
    add(field_option(
        "likes", "window_ms", 20, 10'000, +[](Config& c) -> Millis& { return c.hub.likes.window_ms; },
        "a tapped room says its like total (and a few sampled tappers) once per window"));
    add(field_option(
        "likes", "per_user_per_second", 1, 1'000'000,
        +[](Config& c) -> std::uint32_t& { return c.hub.likes.per_user_per_second; },
        "taps one user may add per second; the rest are counted as capped"));
    add(field_option(
        "likes", "clicks_per_window", 0, 100, +[](Config& c) -> std::size_t& { return c.hub.likes.clicks_per_window; },
        "LIKE_INFO_V3_CLICK events per window, one per user"));

    // [moderation]
    add(field_option(
        "moderation", "flood_window_ms", 0, 3'600'000,
        +[](Config& c) -> Millis& { return c.hub.moderation.flood.window_ms; },
        "duplicate-flood window: the same text from many users within it is refused; 0 turns it off"));
    add(field_option(
        "moderation", "flood_users", 1, 10'000,
        +[](Config& c) -> std::uint32_t& { return c.hub.moderation.flood.users_max; },
        "distinct users that may send the same text within the flood window"));
    add(field_option(
        "moderation", "flood_min_bytes", 1, 10'000,
        +[](Config& c) -> std::size_t& { return c.hub.moderation.flood.min_bytes; },
        "shorter texts are never a flood (\"666\" from the whole room is applause)"));

    // [hooks]
    add(field_option(
        "hooks", "lua_script", 0, 0, +[](Config& c) -> std::string& { return c.lua_script; },
        "the operator's Lua hook, a file defining on_message(msg); \"\" for none (docs/hooks.md)"));
    add(choice_option(
        "hooks", "lua_fallback", {"allow", "reject"},
        [](Config& c, std::string_view text) {
            c.hub.lua_options.fallback = text == "reject" ? hook::HookFallback::reject : hook::HookFallback::allow;
        },
        [](const Config& c) {
            return std::string(c.hub.lua_options.fallback == hook::HookFallback::reject ? "reject" : "allow");
        },
        "what a message gets when the script faults (over its budgets, an error)"));
    add(field_option(
        "hooks", "lua_instructions_max", 1000, 1e9,
        +[](Config& c) -> std::uint64_t& { return c.hub.lua_options.instructions_max; },
        "Lua VM instructions one call may run before it is stopped"));
    add(field_option(
        "hooks", "lua_memory_bytes_max", 65536, 1e9,
        +[](Config& c) -> std::size_t& { return c.hub.lua_options.memory_bytes_max; }, "bytes the Lua state may hold"));
    add(field_option(
        "hooks", "webhook_url", 0, 0, +[](Config& c) -> std::string& { return c.webhook.url; },
        "the operator's HTTP webhook, http://host[:port]/path, asked about every danmaku; \"\" for none"));
    add(field_option(
        "hooks", "webhook_secret", 0, 0, +[](Config& c) -> std::string& { return c.webhook.secret; },
        "signs every webhook request (X-Barrage-Signature, HMAC-SHA256 of timestamp.body)"));
    add(field_option(
        "hooks", "webhook_deadline_ms", 10, 10'000, +[](Config& c) -> Millis& { return c.webhook.deadline_ms; },
        "one whole webhook call; past it the fallback applies"));
    add(field_option(
        "hooks", "webhook_concurrency", 1, 100'000,
        +[](Config& c) -> std::size_t& { return c.webhook.concurrency_max; },
        "webhook calls in flight; past it a message gets the fallback at once"));
    add(field_option(
        "hooks", "webhook_breaker_failures", 0, 1'000'000,
        +[](Config& c) -> std::uint32_t& { return c.webhook.breaker_failures; },
        "consecutive failed calls that open the circuit breaker (0: never)"));
    add(field_option(
        "hooks", "webhook_breaker_open_ms", 100, 3'600'000,
        +[](Config& c) -> Millis& { return c.webhook.breaker_open_ms; },
        "how long an open breaker answers the fallback before one probe call"));
    add(choice_option(
        "hooks", "webhook_fallback", {"allow", "reject"},
        [](Config& c, std::string_view text) {
            c.webhook.fallback = text == "reject" ? hook::HookFallback::reject : hook::HookFallback::allow;
        },
        [](const Config& c) {
            return std::string(c.webhook.fallback == hook::HookFallback::reject ? "reject" : "allow");
        },
        "what a message gets when the webhook is slow, failing or down"));

    // [danmaku]
    add(field_option(
        "danmaku", "code_points_max", 1, 10'000, +[](Config& c) -> std::size_t& { return c.danmaku.code_points_max; },
        "longest danmaku, in code points"));
    auto rate = field_option(
        "danmaku", "rate_per_s", 0, 1e9, +[](Config& c) -> double& { return c.hub.room.rate_limit.per_second; },
        "danmaku one user may send to a room per second");
    rate.min_open = true;
    add(std::move(rate));
    add(field_option(
        "danmaku", "burst", 1, 1e9, +[](Config& c) -> double& { return c.hub.room.rate_limit.burst; },
        "danmaku one user may send at once"));
    auto bot_rate = field_option(
        "danmaku", "bot_rate_per_s", 0, 1e9, +[](Config& c) -> double& { return c.hub.room.bot_rate_limit.per_second; },
        "messages one bot token may send to a room per second");
    bot_rate.min_open = true;
    add(std::move(bot_rate));
    add(field_option(
        "danmaku", "bot_burst", 1, 1e9, +[](Config& c) -> double& { return c.hub.room.bot_rate_limit.burst; },
        "messages one bot token may send at once"));
    add(choice_option(
        "danmaku", "rate_exempt_role", {"anonymous", "viewer", "bot", "manager", "host", "admin"},
        [](Config& c, std::string_view text) { c.hub.room.rate_limit_exempt_from = *message::parse_role(text); },
        [](const Config& c) { return std::string(message::to_string(c.hub.room.rate_limit_exempt_from)); },
        "this role and above skip the per-user rate"));

    // [storage]
    add(field_option(
        "storage", "sqlite_synchronous_full", 0, 0, +[](Config& c) -> bool& { return c.sqlite_synchronous_full; },
        "fsync every commit: an acknowledged gift survives power loss"));
    ConfigOption retention = field_option(
        "storage", "idempotency_retention_s", 24.0 * 3600, 365.0 * 24 * 3600,
        +[](Config& c) -> Millis& { return c.idempotency_retention_ms; },
        "request ids are remembered this long (at least a day)");
    retention.store = [](Config& config, const toml::node& node) -> std::optional<std::string> {
        config.idempotency_retention_ms = *node.value<std::int64_t>() * 1000;
        return std::nullopt;
    };
    retention.show = [](const Config& config) { return fmt::format("{}", config.idempotency_retention_ms / 1000); };
    add(std::move(retention));

    // [economy]
    add(field_option(
        "economy", "coins_per_yuan", 1, 1'000'000, +[](Config& c) -> std::int64_t& { return c.economy.coins_per_yuan; },
        "coins a viewer gets for one yuan (Bilibili: 1000)"));
    add(field_option(
        "economy", "streamer_share_per_mille", 0, 1000,
        +[](Config& c) -> std::uint32_t& { return c.economy.streamer_share_per_mille; },
        "the host's share of what viewers pay, per mille, in rooms that set none"));
    add(field_option(
        "economy", "combo_window_ms", 100, 60'000, +[](Config& c) -> Millis& { return c.economy.combo_window_ms; },
        "the same gift again within this continues a combo"));
    add(field_option(
        "economy", "super_chat_code_points_max", 1, 1000,
        +[](Config& c) -> std::size_t& { return c.economy.super_chat_code_points_max; },
        "longest super chat message, in code points"));
    add(field_option(
        "economy", "gift_count_max", 1, 100'000, +[](Config& c) -> std::uint32_t& { return c.economy.gift_count_max; },
        "most gifts one purchase may send"));

    // [payments]
    add(field_option(
        "payments", "provider_secret", 0, 0, +[](Config& c) -> std::string& { return c.payments.secret; },
        "shared secret of the payment provider's signed callbacks; empty = top-ups off"));
    add(field_option(
        "payments", "window_s", 10, 3600, +[](Config& c) -> std::int64_t& { return c.payments.window_s; },
        "a callback's timestamp may differ from ours by this much"));
    add(field_option(
        "payments", "top_up_coins_max", 1, 1e12, +[](Config& c) -> std::int64_t& { return c.payments.coins_max; },
        "most coins one top-up may credit"));

    // [open]
    add(wss_links_option());
    add(field_option(
        "open", "code_max_age_h", 0, 24.0 * 366, +[](Config& c) -> std::int64_t& { return c.open_code_max_age_h; },
        "identity codes are replaced after this many hours (0: only when their streamer asks)"));
    add(field_option(
        "open", "app_share_per_mille", 0, 1000, +[](Config& c) -> std::uint32_t& { return c.open_app_share_per_mille; },
        "an app's share of its interactive gifts' platform part, per mille, unless the app has its own"));

    // [open_limits]
    add(field_option(
        "open_limits", "calls_per_s_per_app", 0.01, 1e6,
        +[](Config& c) -> double& { return c.open_limits.app.per_second; },
        "signed calls one app (access key) may make per second; past it the app is banned"));
    add(field_option(
        "open_limits", "call_burst_per_app", 1, 1e7, +[](Config& c) -> double& { return c.open_limits.app.burst; },
        "signed calls one app may make at once"));
    add(field_option(
        "open_limits", "calls_per_s_per_address", 0.01, 1e6,
        +[](Config& c) -> double& { return c.open_limits.address.per_second; },
        "open-platform calls (signed or not) one address, IPv6 by /64, may make per second"));
    add(field_option(
        "open_limits", "call_burst_per_address", 1, 1e7,
        +[](Config& c) -> double& { return c.open_limits.address.burst; },
        "open-platform calls one address may make at once"));
    add(field_option(
        "open_limits", "starts_per_s_per_code", 0.01, 1e6,
        +[](Config& c) -> double& { return c.open_limits.code.per_second; },
        "starts naming one identity code per second, all apps together"));
    add(field_option(
        "open_limits", "start_burst_per_code", 1, 1e7, +[](Config& c) -> double& { return c.open_limits.code.burst; },
        "starts naming one identity code at once"));
    add(per_minute_option(
        "open_limits", "wrong_codes_per_min_per_app", 0.01, 1e6,
        +[](Config& c) -> double& { return c.open_limits.wrong_code_app.per_second; },
        "wrong identity codes one app may send per minute once its burst is spent"));
    add(field_option(
        "open_limits", "wrong_code_burst_per_app", 1, 1e6,
        +[](Config& c) -> double& { return c.open_limits.wrong_code_app.burst; },
        "wrong identity codes one app may send before the rate applies"));
    add(per_minute_option(
        "open_limits", "wrong_codes_per_min_per_address", 0.01, 1e6,
        +[](Config& c) -> double& { return c.open_limits.wrong_code_address.per_second; },
        "wrong identity codes one address may send per minute once its burst is spent"));
    add(field_option(
        "open_limits", "wrong_code_burst_per_address", 1, 1e6,
        +[](Config& c) -> double& { return c.open_limits.wrong_code_address.burst; },
        "wrong identity codes one address may send before the rate applies"));
    add(ban_steps_option());
    auto window = field_option(
        "open_limits", "ban_repeat_window_s", 1, 365.0 * 86'400,
        +[](Config& c) -> Millis& { return c.open_limits.bans.repeat_window_ms; },
        "a ban within this of the last one's end is a repeat and lasts the next step");
    window.store = [](Config& config, const toml::node& node) -> std::optional<std::string> {
        config.open_limits.bans.repeat_window_ms = *node.value<std::int64_t>() * 1000;
        return std::nullopt;
    };
    window.show = [](const Config& config) {
        return fmt::format("{}", config.open_limits.bans.repeat_window_ms / 1000);
    };
    add(std::move(window));
    add(field_option(
        "open_limits", "keys_max", 1, 10'000'000, +[](Config& c) -> std::size_t& { return c.open_limits.keys_max; },
        "keys each limit and each ban list tracks; past it new keys are refused (4009), not stored"));

    // [web]
    add(field_option(
        "web", "dir", 0, 0, +[](Config& c) -> std::string& { return c.web_dir; },
        "the built web pages (npm run build in web/), relative to the working directory (docs/web.md)"));
    return options;
}

bool within(const ConfigOption& option, double value) {
    const bool above_min = option.min_open ? value > option.min : value >= option.min;
    return above_min && value <= option.max;
}

// The value at `node` has the option's kind, bounds and spelling.
bool fits(const ConfigOption& option, const toml::node& node) {
    switch (option.kind) {
        case Kind::integer: return node.is_integer() && within(option, double(*node.value<std::int64_t>()));
        case Kind::number: return node.is_number() && within(option, *node.value<double>());
        case Kind::boolean: return node.is_boolean();
        case Kind::string: return node.is_string();
        case Kind::strings: {
            if (!node.is_array()) {
                return false;
            }
            for (const auto& item : *node.as_array()) {
                if (!item.is_string()) {
                    return false;
                }
            }
            return true;
        }
        case Kind::choice: {
            if (!node.is_string()) {
                return false;
            }
            const auto text = *node.value<std::string_view>();
            for (const auto choice : option.choices) {
                if (choice == text) {
                    return true;
                }
            }
            return false;
        }
    }
    return false;
}

}  // namespace

std::string ConfigOption::expectation() const {
    switch (kind) {
        case Kind::integer: return fmt::format("must be an integer in {}..{}", std::int64_t(min), std::int64_t(max));
        case Kind::number:
            return min_open ? fmt::format("must be a number above {} and at most {}", min, max)
                            : fmt::format("must be a number in {}..{}", min, max);
        case Kind::boolean: return "must be true or false";
        case Kind::string: return "must be a string";
        case Kind::strings: return "must be an array of strings";
        case Kind::choice: {
            std::string out = "must be one of ";
            for (std::size_t i = 0; i < choices.size(); ++i) {
                out += (i ? ", " : "") + std::string(choices[i]);
            }
            return out;
        }
    }
    return "";
}

const std::vector<ConfigOption>& config_options() {
    static const std::vector<ConfigOption> options = make_options();
    return options;
}

std::vector<std::string_view> option_sections() {
    std::vector<std::string_view> sections;
    for (const auto& option : config_options()) {
        if (sections.empty() || sections.back() != option.section) {
            sections.push_back(option.section);
        }
    }
    return sections;
}

void read_section(const toml::table& root, std::string_view section, Config& config) {
    const auto* node = root.get(section);
    if (node == nullptr) {
        return;
    }
    if (!node->is_table()) {
        fail(std::string(section), "must be a table");
    }
    const auto& table = *node->as_table();
    std::set<std::string_view> known;
    for (const auto& option : config_options()) {
        if (option.section == section) {
            known.insert(option.key);
        }
    }
    for (const auto& [key, _] : table) {
        if (!known.contains(key.str())) {
            fail(std::string(section) + "." + std::string(key.str()), "unknown option");
        }
    }
    for (const auto& option : config_options()) {
        if (option.section != section) {
            continue;
        }
        const auto* value = table.get(option.key);
        if (value == nullptr) {
            continue;
        }
        if (!fits(option, *value)) {
            fail(option.name(), option.expectation());
        }
        if (auto refused = option.store(config, *value)) {
            fail(option.name(), *refused);
        }
    }
}

}  // namespace barrage::app
