#include "app/config.h"

#include <filesystem>
#include <initializer_list>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/limits.h"

namespace barrage::app {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw std::runtime_error(fmt::format("config: {}: {}", where, what));
}

// Rejects keys this version does not know: a typo must not silently fall back to a default.
void check_keys(const toml::table& table, const std::string& where,
                std::initializer_list<std::string_view> known) {
    std::set<std::string_view> allowed(known);
    for (const auto& [key, _] : table) {
        if (!allowed.contains(key.str())) {
            fail(where.empty() ? std::string(key.str()) : where + "." + std::string(key.str()),
                 "unknown option");
        }
    }
}

template <class Int>
void read_int(const toml::table& table, const std::string& where, std::string_view key,
              std::int64_t min, std::int64_t max, Int& out) {
    const auto* node = table.get(key);
    if (node == nullptr) {
        return;
    }
    auto value = node->value<std::int64_t>();
    if (!node->is_integer() || !value || *value < min || *value > max) {
        fail(where + "." + std::string(key), fmt::format("must be an integer in {}..{}", min, max));
    }
    out = static_cast<Int>(*value);
}

void read_string(const toml::table& table, const std::string& where, std::string_view key,
                 std::string& out) {
    const auto* node = table.get(key);
    if (node == nullptr) {
        return;
    }
    if (!node->is_string()) {
        fail(where + "." + std::string(key), "must be a string");
    }
    out = *node->value<std::string>();
}

void read_bool(const toml::table& table, const std::string& where, std::string_view key, bool& out) {
    const auto* node = table.get(key);
    if (node == nullptr) {
        return;
    }
    if (!node->is_boolean()) {
        fail(where + "." + std::string(key), "must be true or false");
    }
    out = *node->value<bool>();
}

// A number (integer or float) in [min, max].
void read_double(const toml::table& table, const std::string& where, std::string_view key, double min,
                 double max, double& out) {
    const auto* node = table.get(key);
    if (node == nullptr) {
        return;
    }
    auto value = node->value<double>();
    if (!node->is_number() || !value || *value < min || *value > max) {
        fail(where + "." + std::string(key), fmt::format("must be a number in {}..{}", min, max));
    }
    out = *value;
}

void read_string_list(const toml::table& table, const std::string& where, std::string_view key,
                      std::vector<std::string>& out) {
    const auto* node = table.get(key);
    if (node == nullptr) {
        return;
    }
    if (!node->is_array()) {
        fail(where + "." + std::string(key), "must be an array of strings");
    }
    out.clear();
    for (const auto& item : *node->as_array()) {
        if (!item.is_string()) {
            fail(where + "." + std::string(key), "must be an array of strings");
        }
        out.push_back(*item.value<std::string>());
    }
}

const toml::table* section(const toml::table& root, std::string_view name) {
    const auto* node = root.get(name);
    if (node == nullptr) {
        return nullptr;
    }
    if (!node->is_table()) {
        fail(std::string(name), "must be a table");
    }
    return node->as_table();
}

message::Role read_role(const toml::table& table, const std::string& where, std::string_view key,
                        message::Role fallback) {
    std::string text(message::to_string(fallback));
    read_string(table, where, key, text);
    auto role = message::parse_role(text);
    if (!role) {
        fail(where + "." + std::string(key), "must be one of anonymous, viewer, bot, manager, host, admin");
    }
    return *role;
}

void read_server(const toml::table& root, Config& config) {
    const auto* server = section(root, "server");
    if (server == nullptr) {
        return;
    }
    check_keys(*server, "server", {"listen_address", "http_port", "tcp_port", "io_threads", "data_dir", "log_level"});
    read_string(*server, "server", "listen_address", config.listen_address);
    read_int(*server, "server", "http_port", 0, 65535, config.http_port);
    read_int(*server, "server", "tcp_port", 0, 65535, config.tcp_port);
    read_int(*server, "server", "io_threads", 0, 256, config.io_threads);
    read_string(*server, "server", "data_dir", config.data_dir);
    read_string(*server, "server", "log_level", config.log_level);
}

void read_auth_and_connection(const toml::table& root, Config& config) {
    if (const auto* auth = section(root, "auth")) {
        check_keys(*auth, "auth", {"token_secret", "token_ttl_s"});
        read_string(*auth, "auth", "token_secret", config.token_secret);
        read_int(*auth, "auth", "token_ttl_s", 1, 365LL * 24 * 3600, config.token_ttl_s);
    }
    if (const auto* connection = section(root, "connection")) {
        check_keys(*connection, "connection", {"auth_timeout_ms", "heartbeat_timeout_ms", "outbound_bytes_max",
                                               "packet_bytes_max", "packets_per_s", "packet_burst",
                                               "heartbeat_reply_interval_ms"});
        read_int(*connection, "connection", "auth_timeout_ms", 10, 600'000, config.session.auth_timeout_ms);
        read_int(*connection, "connection", "heartbeat_timeout_ms", 10, 3'600'000,
                 config.session.heartbeat_timeout_ms);
        read_int(*connection, "connection", "outbound_bytes_max", 4096, 1LL << 30, config.session.outbound_bytes_max);
        // 0 keeps the built-in limit.
        read_int(*connection, "connection", "packet_bytes_max", 0,
                 static_cast<std::int64_t>(limits::kClientFrameBytesMax), config.packet_bytes_max);
        if (config.packet_bytes_max != 0 && config.packet_bytes_max < 64) {
            fail("connection.packet_bytes_max", "must be 0 (the built-in limit) or at least 64");
        }
        read_double(*connection, "connection", "packets_per_s", 0.1, 1e6, config.session.packet_rate.per_second);
        read_double(*connection, "connection", "packet_burst", 1, 1e6, config.session.packet_rate.burst);
        read_int(*connection, "connection", "heartbeat_reply_interval_ms", 0, 60'000,
                 config.session.heartbeat_reply_interval_ms);
    }
}

void read_security(const toml::table& root, Config& config) {
    const auto* security = section(root, "security");
    if (security == nullptr) {
        return;
    }
    check_keys(*security, "security",
               {"connections_per_address", "trusted_proxies", "descriptor_headroom", "http_idle_timeout_ms",
                "http_idle_timeout_under_pressure_ms", "joins_per_s_per_address", "join_burst_per_address",
                "joins_per_s_per_user", "join_burst_per_user"});
    read_int(*security, "security", "connections_per_address", 0, 1'000'000, config.caps.per_address_max);
    read_string_list(*security, "security", "trusted_proxies", config.caps.trusted_proxies);
    for (const auto& proxy : config.caps.trusted_proxies) {
        if (security::address_key(proxy).empty()) {
            fail("security.trusted_proxies", fmt::format("\"{}\" is not an IP address", proxy));
        }
    }
    read_int(*security, "security", "descriptor_headroom", 0, 100'000, config.caps.descriptor_headroom);
    read_int(*security, "security", "http_idle_timeout_ms", 100, 3'600'000, config.http_idle_timeout_ms);
    read_int(*security, "security", "http_idle_timeout_under_pressure_ms", 10, 3'600'000,
             config.http_idle_timeout_under_pressure_ms);
    read_double(*security, "security", "joins_per_s_per_address", 0.01, 1e6, config.joins.per_address.per_second);
    read_double(*security, "security", "join_burst_per_address", 1, 1e6, config.joins.per_address.burst);
    read_double(*security, "security", "joins_per_s_per_user", 0.01, 1e6, config.joins.per_user.per_second);
    read_double(*security, "security", "join_burst_per_user", 1, 1e6, config.joins.per_user.burst);
}

void read_rooms_and_danmaku(const toml::table& root, Config& config) {
    if (const auto* rooms = section(root, "rooms")) {
        check_keys(*rooms, "rooms", {"history_length", "batch_interval_ms", "batch_messages_max",
                                     "online_push_interval_ms", "enter_events", "resume_messages_max"});
        read_int(*rooms, "rooms", "history_length", 1, static_cast<std::int64_t>(limits::kHistoryMax),
                 config.hub.room.history_length);
        read_int(*rooms, "rooms", "batch_interval_ms", 0, 1000, config.hub.room.batch_interval_ms);
        read_int(*rooms, "rooms", "batch_messages_max", 1, static_cast<std::int64_t>(limits::kBatchMessagesMax),
                 config.hub.room.batch_messages_max);
        read_int(*rooms, "rooms", "online_push_interval_ms", 100, 600'000, config.hub.online_push_interval_ms);
        read_int(*rooms, "rooms", "resume_messages_max", 1, static_cast<std::int64_t>(limits::kHistoryMax),
                 config.hub.resume_messages_max);
        std::string enter = "users";
        read_string(*rooms, "rooms", "enter_events", enter);
        if (enter == "none") {
            config.hub.enter_events = gateway::EnterEvents::none;
        } else if (enter == "users") {
            config.hub.enter_events = gateway::EnterEvents::users;
        } else if (enter == "all") {
            config.hub.enter_events = gateway::EnterEvents::all;
        } else {
            fail("rooms.enter_events", "must be none, users or all");
        }
    }
    if (const auto* danmaku = section(root, "danmaku")) {
        check_keys(*danmaku, "danmaku", {"code_points_max", "rate_per_s", "burst", "rate_exempt_role"});
        read_int(*danmaku, "danmaku", "code_points_max", 1, 10'000, config.danmaku.code_points_max);
        double rate = config.hub.room.rate_limit.per_second;
        double burst = config.hub.room.rate_limit.burst;
        if (const auto* node = danmaku->get("rate_per_s")) {
            if (!node->is_number() || node->value<double>().value_or(0) <= 0) {
                fail("danmaku.rate_per_s", "must be a positive number");
            }
            rate = *node->value<double>();
        }
        if (const auto* node = danmaku->get("burst")) {
            if (!node->is_number() || node->value<double>().value_or(0) < 1) {
                fail("danmaku.burst", "must be a number >= 1");
            }
            burst = *node->value<double>();
        }
        config.hub.room.rate_limit.per_second = rate;
        config.hub.room.rate_limit.burst = burst;
        config.hub.room.rate_limit_exempt_from =
            read_role(*danmaku, "danmaku", "rate_exempt_role", config.hub.room.rate_limit_exempt_from);
    }
    if (const auto* storage = section(root, "storage")) {
        check_keys(*storage, "storage", {"sqlite_synchronous_full", "idempotency_retention_s"});
        read_bool(*storage, "storage", "sqlite_synchronous_full", config.sqlite_synchronous_full);
        std::int64_t retention_s = config.idempotency_retention_ms / 1000;
        // At least a day: the issue promises request ids are remembered for 24 hours.
        read_int(*storage, "storage", "idempotency_retention_s", 24 * 3600, 365LL * 24 * 3600, retention_s);
        config.idempotency_retention_ms = retention_s * 1000;
    }
}

std::vector<UserId> read_uid_list(const toml::table& table, const std::string& where, std::string_view key) {
    std::vector<UserId> out;
    const auto* node = table.get(key);
    if (node == nullptr) {
        return out;
    }
    if (!node->is_array()) {
        fail(where + "." + std::string(key), "must be an array of user ids");
    }
    for (const auto& item : *node->as_array()) {
        auto value = item.value<std::int64_t>();
        if (!item.is_integer() || !value || *value <= 0) {
            fail(where + "." + std::string(key), "must be an array of positive integers");
        }
        out.push_back(UserId{static_cast<std::uint64_t>(*value)});
    }
    return out;
}

const toml::array* array_of_tables(const toml::table& root, std::string_view name) {
    const auto* node = root.get(name);
    if (node == nullptr) {
        return nullptr;
    }
    if (!node->is_array_of_tables()) {
        fail(std::string(name), fmt::format("must be written as [[{}]] tables", name));
    }
    return node->as_array();
}

void read_rooms_users(const toml::table& root, Config& config) {
    if (const auto* rooms = array_of_tables(root, "room")) {
        for (std::size_t i = 0; i < rooms->size(); ++i) {
            const auto& table = *rooms->get(i)->as_table();
            std::string where = fmt::format("room[{}]", i);
            check_keys(table, where, {"id", "title", "host", "managers", "danmaku_price", "streamer_share_per_mille"});
            store::RoomRecord room;
            if (!table.contains("id")) {
                fail(where + ".id", "is required");
            }
            read_int(table, where, "id", 1, INT64_MAX, room.id.value);
            read_string(table, where, "title", room.title);
            read_int(table, where, "host", 0, INT64_MAX, room.host.value);
            room.managers = read_uid_list(table, where, "managers");
            read_int(table, where, "danmaku_price", 0, 1'000'000'000, room.danmaku_price);
            room.streamer_share_per_mille = config.economy.streamer_share_per_mille;
            read_int(table, where, "streamer_share_per_mille", 0, 1000, room.streamer_share_per_mille);
            config.rooms.push_back(std::move(room));
        }
    }
    if (const auto* users = array_of_tables(root, "user")) {
        for (std::size_t i = 0; i < users->size(); ++i) {
            const auto& table = *users->get(i)->as_table();
            std::string where = fmt::format("user[{}]", i);
            check_keys(table, where, {"uid", "name", "face", "role"});
            store::UserRecord user;
            read_int(table, where, "uid", 1, INT64_MAX, user.uid.value);
            read_string(table, where, "name", user.name);
            read_string(table, where, "face", user.face);
            user.role = read_role(table, where, "role", message::Role::viewer);
            if (user.uid.value == 0 || user.name.empty()) {
                fail(where, "uid and name are required");
            }
            config.users.push_back(std::move(user));
        }
    }
}

message::FieldKind read_kind(const std::string& where, const std::string& text) {
    if (text == "string") return message::FieldKind::string;
    if (text == "integer") return message::FieldKind::integer;
    if (text == "number") return message::FieldKind::number;
    if (text == "boolean") return message::FieldKind::boolean;
    fail(where + ".kind", "must be string, integer, number or boolean");
}

bool valid_type_name(const std::string& name) {
    if (name.empty() || name.size() > 32) {
        return false;
    }
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

void read_custom_types(const toml::table& root, Config& config) {
    const auto* types = array_of_tables(root, "custom_type");
    if (types == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < types->size(); ++i) {
        const auto& table = *types->get(i)->as_table();
        std::string where = fmt::format("custom_type[{}]", i);
        check_keys(table, where, {"name", "fields"});
        message::CustomType type;
        read_string(table, where, "name", type.name);
        if (!valid_type_name(type.name) || type.name == "danmaku") {
            fail(where + ".name", "must match [a-z0-9_]{1,32} and not be \"danmaku\"");
        }
        const auto* fields = table.get("fields");
        if (fields == nullptr || !fields->is_array_of_tables()) {
            fail(where + ".fields", "must be an array of {name, kind, required, max_length} tables");
        }
        for (std::size_t j = 0; j < fields->as_array()->size(); ++j) {
            const auto& field_table = *fields->as_array()->get(j)->as_table();
            std::string field_where = fmt::format("{}.fields[{}]", where, j);
            check_keys(field_table, field_where, {"name", "kind", "required", "max_length"});
            message::FieldSpec field;
            std::string kind = "string";
            read_string(field_table, field_where, "name", field.name);
            read_string(field_table, field_where, "kind", kind);
            field.kind = read_kind(field_where, kind);
            read_bool(field_table, field_where, "required", field.required);
            read_int(field_table, field_where, "max_length", 1, 10'000, field.max_length);
            if (field.name.empty()) {
                fail(field_where + ".name", "is required");
            }
            type.fields.push_back(std::move(field));
        }
        config.custom_types.push_back(std::move(type));
    }
}

void read_economy(const toml::table& root, Config& config) {
    if (const auto* economy = section(root, "economy")) {
        check_keys(*economy, "economy", {"coins_per_yuan", "streamer_share_per_mille", "combo_window_ms",
                                         "super_chat_code_points_max", "gift_count_max"});
        read_int(*economy, "economy", "coins_per_yuan", 1, 1'000'000, config.economy.coins_per_yuan);
        read_int(*economy, "economy", "streamer_share_per_mille", 0, 1000, config.economy.streamer_share_per_mille);
        read_int(*economy, "economy", "combo_window_ms", 100, 60'000, config.economy.combo_window_ms);
        read_int(*economy, "economy", "super_chat_code_points_max", 1, 1000,
                 config.economy.super_chat_code_points_max);
        read_int(*economy, "economy", "gift_count_max", 1, 100'000, config.economy.gift_count_max);
    }
    if (const auto* payments = section(root, "payments")) {
        check_keys(*payments, "payments", {"provider_secret", "window_s", "top_up_coins_max"});
        read_string(*payments, "payments", "provider_secret", config.payments.secret);
        read_int(*payments, "payments", "window_s", 10, 3600, config.payments.window_s);
        read_int(*payments, "payments", "top_up_coins_max", 1, 1'000'000'000'000LL, config.payments.coins_max);
    }
    const auto* gifts = array_of_tables(root, "gift");
    if (gifts == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < gifts->size(); ++i) {
        const auto& table = *gifts->get(i)->as_table();
        std::string where = fmt::format("gift[{}]", i);
        check_keys(table, where, {"id", "name", "price", "animated", "icon_url", "effect_url", "comboable", "app_id"});
        economy::GiftSpec gift;
        read_int(table, where, "id", 1, INT64_MAX, gift.id);
        read_string(table, where, "name", gift.name);
        read_int(table, where, "price", 1, INT64_MAX, gift.price);
        read_bool(table, where, "animated", gift.animated);
        read_string(table, where, "icon_url", gift.icon_url);
        read_string(table, where, "effect_url", gift.effect_url);
        read_bool(table, where, "comboable", gift.comboable);
        read_int(table, where, "app_id", 0, INT64_MAX, gift.app_id);
        if (auto valid = economy::validate(gift); !valid) {
            fail(where, valid.error().message() + " (id, name and price are required; animated gifts need effect_url)");
        }
        config.gifts.push_back(std::move(gift));
    }
}

}  // namespace

Config load_config(const std::string& path) {
    Config config;
    if (path.empty()) {
        return config;
    }
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& error) {
        fail(path, fmt::format("{} (line {})", error.description(), error.source().begin.line));
    }
    try {
        check_keys(root, "", {"server", "auth", "connection", "security", "rooms", "danmaku", "storage", "room",
                              "user", "custom_type", "economy", "payments", "gift"});
        read_server(root, config);
        read_auth_and_connection(root, config);
        read_security(root, config);
        read_rooms_and_danmaku(root, config);
        read_economy(root, config);  // before [[room]]: rooms default to its share
        read_rooms_users(root, config);
        read_custom_types(root, config);
    } catch (const std::runtime_error& error) {
        throw std::runtime_error(std::string(error.what()) + " (in " + path + ")");
    }
    return config;
}

void add_demo_defaults(Config& config) {
    if (config.rooms.empty()) {
        config.rooms.push_back({RoomId{1}, "Demo room", UserId{1}, {UserId{2}}, 0,
                                config.economy.streamer_share_per_mille});
    }
    if (config.gifts.empty()) {
        // A small catalogue in Bilibili's spirit (1000 coins = ¥1): cheap comboable gifts for
        // streaks, an animated one for lane B, and an interactive one bound to app 1.
        config.gifts = {
            {1, "小心心", 10, false, "/gifts/heart.png", "", true, 0},
            {2, "辣条", 100, false, "/gifts/latiao.png", "", true, 0},
            {3, "小花花", 1000, false, "/gifts/flower.png", "", true, 0},
            {4, "告白气球", 52'000, true, "/gifts/balloon.png", "/gifts/balloon.svga", true, 0},
            {5, "小电视飞船", 1'245'000, true, "/gifts/tv.png", "/gifts/tv.svga", false, 0},
            {6, "能量水晶", 1000, false, "/gifts/crystal.png", "", true, 1},
        };
    }
    if (config.users.empty()) {
        config.users = {
            {UserId{1}, "demo-streamer", "", message::Role::host},
            {UserId{2}, "demo-manager", "", message::Role::manager},
            {UserId{3}, "alice", "", message::Role::viewer},
            {UserId{4}, "bob", "", message::Role::viewer},
            {UserId{9}, "demo-bot", "", message::Role::bot},
            {UserId{10}, "demo-admin", "", message::Role::admin},
        };
    }
}

std::string database_path(const Config& config) {
    return (std::filesystem::path(config.data_dir) / "barrage.db").string();
}

}  // namespace barrage::app
