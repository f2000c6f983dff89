#include "app/config.h"

#include <filesystem>
#include <initializer_list>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "app/config_options.h"
#include "base/limits.h"

namespace barrage::app {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw std::runtime_error(fmt::format("config: {}: {}", where, what));
}

// Rejects keys this version does not know: a typo must not silently fall back to a default.
void check_keys(const toml::table& table, const std::string& where, const std::vector<std::string_view>& known) {
    std::set<std::string_view> allowed(known.begin(), known.end());
    for (const auto& [key, _] : table) {
        if (!allowed.contains(key.str())) {
            fail(where.empty() ? std::string(key.str()) : where + "." + std::string(key.str()), "unknown option");
        }
    }
}

template <class Int>
void read_int(const toml::table& table, const std::string& where, std::string_view key, std::int64_t min,
              std::int64_t max, Int& out) {
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

void read_string(const toml::table& table, const std::string& where, std::string_view key, std::string& out) {
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
        if (!valid_type_name(type.name) || type.name == "danmaku" || type.name == "like" || type.name == "system") {
            fail(where + ".name", "must match [a-z0-9_]{1,32} and not be \"danmaku\", \"like\" or \"system\"");
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

void read_gifts(const toml::table& root, Config& config) {
    const auto* gifts = array_of_tables(root, "gift");
    if (gifts == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < gifts->size(); ++i) {
        const auto& table = *gifts->get(i)->as_table();
        std::string where = fmt::format("gift[{}]", i);
        check_keys(table, where, {"id", "name", "price", "animated", "icon_url", "effect_url", "comboable", "app_id"});
        economy::GiftSpec gift;
        // Ids from economy::kInteractiveGiftIdMin up are the open platform's (open_gifts).
        read_int(table, where, "id", 1, static_cast<std::int64_t>(economy::kInteractiveGiftIdMin - 1), gift.id);
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
        std::vector<std::string_view> known = option_sections();
        known.insert(known.end(), {"room", "user", "custom_type", "gift"});
        check_keys(root, "", known);
        // The scalar sections first: [[room]]s default to [economy]'s share.
        for (const auto section : option_sections()) {
            read_section(root, section, config);
        }
        read_gifts(root, config);
        read_rooms_users(root, config);
        read_custom_types(root, config);
    } catch (const std::runtime_error& error) {
        throw std::runtime_error(std::string(error.what()) + " (in " + path + ")");
    }
    return config;
}

void add_demo_defaults(Config& config) {
    if (config.rooms.empty()) {
        config.demo = true;
        config.rooms.push_back(
            {RoomId{1}, "Demo room", UserId{1}, {UserId{2}}, 0, config.economy.streamer_share_per_mille});
    }
    if (config.gifts.empty()) {
        // A small catalogue in Bilibili's spirit (1000 coins = ¥1): cheap comboable gifts for
        // streaks, an animated one for lane B, and an interactive one bound to app 1. The art
        // under /gifts/ is drawn in code and served (app/demo_art.h, http/gift_art.h).
        config.gifts = {
            {1, "小心心", 10, false, "/gifts/heart.png", "", true, 0},
            {2, "辣条", 100, false, "/gifts/latiao.png", "", true, 0},
            {3, "小花花", 1000, false, "/gifts/flower.png", "", true, 0},
            {4, "告白气球", 52'000, true, "/gifts/balloon.png", "/gifts/balloon-effect.png", true, 0},
            {5, "小电视飞船", 1'245'000, true, "/gifts/tv.png", "/gifts/tv-effect.png", false, 0},
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
