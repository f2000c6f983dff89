#include "app/config.h"
#include "app/config_options.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

namespace barrage::app {
namespace {

// A TOML file in a fresh temporary directory, removed at the end of the test.
class ConfigFile {
public:
    explicit ConfigFile(std::string_view text) {
        auto pattern = (std::filesystem::temp_directory_path() / "barrage-config-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        directory_ = pattern;
        path_ = (directory_ / "barrage.toml").string();
        std::ofstream(path_) << text;
    }
    ~ConfigFile() {
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
    }
    const std::string& path() const { return path_; }

private:
    std::filesystem::path directory_;
    std::string path_;
};

Config load(std::string_view text) {
    ConfigFile file(text);
    return load_config(file.path());
}

// The message of the error load_config throws for `text` ("" when it loads).
std::string error_for(std::string_view text) {
    try {
        load(text);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "";
}

TEST(LoadConfig, EmptyPathGivesDefaults) {
    Config config = load_config("");
    EXPECT_EQ(config.listen_address, "0.0.0.0");
    EXPECT_EQ(config.http_port, 8080);
    EXPECT_EQ(config.tcp_port, 2243);
    EXPECT_EQ(config.io_threads, 0U);
    EXPECT_EQ(config.data_dir, "data");
    EXPECT_TRUE(config.token_secret.empty());
    EXPECT_EQ(config.session.auth_timeout_ms, 5000);
    EXPECT_EQ(config.packet_bytes_max, 0U);
    EXPECT_EQ(config.hub.enter_events, gateway::EnterEvents::users);
    EXPECT_TRUE(config.sqlite_synchronous_full);
    EXPECT_TRUE(config.rooms.empty());
    EXPECT_TRUE(config.users.empty());
    EXPECT_TRUE(config.custom_types.empty());
}

TEST(LoadConfig, EmptyFileGivesDefaults) {
    Config config = load("");
    EXPECT_EQ(config.http_port, 8080);
    EXPECT_EQ(config.hub.room.history_length, Config{}.hub.room.history_length);
}

TEST(LoadConfig, ServerSectionIsRead) {
    Config config = load(R"(
[server]
listen_address = "127.0.0.1"
http_port = 9000
tcp_port = 0
io_threads = 3
data_dir = "/tmp/somewhere"
log_level = "debug"
)");
    EXPECT_EQ(config.listen_address, "127.0.0.1");
    EXPECT_EQ(config.http_port, 9000);
    EXPECT_EQ(config.tcp_port, 0);
    EXPECT_EQ(config.io_threads, 3U);
    EXPECT_EQ(config.data_dir, "/tmp/somewhere");
    EXPECT_EQ(config.log_level, "debug");
}

TEST(LoadConfig, AuthAndConnectionSectionsAreRead) {
    Config config = load(R"(
[auth]
token_secret = "s3cret"
token_ttl_s = 600

[connection]
auth_timeout_ms = 250
heartbeat_timeout_ms = 45000
outbound_bytes_max = 65536
packet_bytes_max = 1024
packets_per_s = 5
packet_burst = 12.5
heartbeat_reply_interval_ms = 250

[security]
connections_per_address = 50
trusted_proxies = ["10.0.0.1", "::1"]
descriptor_headroom = 32
http_idle_timeout_ms = 5000
http_idle_timeout_under_pressure_ms = 200
joins_per_s_per_address = 3
join_burst_per_address = 9
joins_per_s_per_user = 0.5
join_burst_per_user = 4
)");
    EXPECT_EQ(config.token_secret, "s3cret");
    EXPECT_EQ(config.token_ttl_s, 600);
    EXPECT_EQ(config.session.auth_timeout_ms, 250);
    EXPECT_EQ(config.session.heartbeat_timeout_ms, 45000);
    EXPECT_EQ(config.session.outbound_bytes_max, 65536U);
    EXPECT_EQ(config.packet_bytes_max, 1024U);
    EXPECT_EQ(config.session.packet_rate.per_second, 5.0);
    EXPECT_EQ(config.session.packet_rate.burst, 12.5);
    EXPECT_EQ(config.session.heartbeat_reply_interval_ms, 250);
    EXPECT_EQ(config.caps.per_address_max, 50U);
    EXPECT_EQ(config.caps.trusted_proxies, (std::vector<std::string>{"10.0.0.1", "::1"}));
    EXPECT_EQ(config.caps.descriptor_headroom, 32U);
    EXPECT_EQ(config.http_idle_timeout_ms, 5000);
    EXPECT_EQ(config.http_idle_timeout_under_pressure_ms, 200);
    EXPECT_EQ(config.joins.per_address.per_second, 3.0);
    EXPECT_EQ(config.joins.per_address.burst, 9.0);
    EXPECT_EQ(config.joins.per_user.per_second, 0.5);
    EXPECT_EQ(config.joins.per_user.burst, 4.0);
}

TEST(LoadConfig, RoomsDanmakuAndStorageSectionsAreRead) {
    Config config = load(R"(
[rooms]
history_length = 50
batch_interval_ms = 0
batch_messages_max = 64
online_push_interval_ms = 1000
enter_events = "all"
resume_messages_max = 20

[danmaku]
code_points_max = 40
rate_per_s = 0.5
burst = 3
rate_exempt_role = "manager"

[storage]
sqlite_synchronous_full = false
)");
    EXPECT_EQ(config.hub.room.history_length, 50U);
    EXPECT_EQ(config.hub.room.batch_interval_ms, 0);
    EXPECT_EQ(config.hub.room.batch_messages_max, 64U);
    EXPECT_EQ(config.hub.online_push_interval_ms, 1000);
    EXPECT_EQ(config.hub.enter_events, gateway::EnterEvents::all);
    EXPECT_EQ(config.hub.resume_messages_max, 20U);
    EXPECT_EQ(config.danmaku.code_points_max, 40U);
    EXPECT_DOUBLE_EQ(config.hub.room.rate_limit.per_second, 0.5);
    EXPECT_DOUBLE_EQ(config.hub.room.rate_limit.burst, 3.0);
    EXPECT_EQ(config.hub.room.rate_limit_exempt_from, message::Role::manager);
    EXPECT_FALSE(config.sqlite_synchronous_full);
}

TEST(LoadConfig, EnterEventsNoneIsRead) {
    EXPECT_EQ(load("[rooms]\nenter_events = \"none\"\n").hub.enter_events, gateway::EnterEvents::none);
}

TEST(LoadConfig, RoomsUsersAndCustomTypesAreRead) {
    Config config = load(R"(
[[room]]
id = 7
title = "Seven"
host = 3
managers = [4, 5]

[[user]]
uid = 3
name = "alice"
face = "https://example.com/a.png"
role = "host"

[[user]]
uid = 4
name = "bob"

[[custom_type]]
name = "vote"
fields = [
  { name = "option", kind = "string", max_length = 10 },
  { name = "weight", kind = "integer", required = false },
]
)");
    ASSERT_EQ(config.rooms.size(), 1U);
    EXPECT_EQ(config.rooms[0].id, RoomId{7});
    EXPECT_EQ(config.rooms[0].title, "Seven");
    EXPECT_EQ(config.rooms[0].host, UserId{3});
    EXPECT_EQ(config.rooms[0].managers, (std::vector<UserId>{UserId{4}, UserId{5}}));
    ASSERT_EQ(config.users.size(), 2U);
    EXPECT_EQ(config.users[0].role, message::Role::host);
    EXPECT_EQ(config.users[0].face, "https://example.com/a.png");
    EXPECT_EQ(config.users[1].role, message::Role::viewer) << "viewer is the default role";
    ASSERT_EQ(config.custom_types.size(), 1U);
    const auto& vote = config.custom_types[0];
    EXPECT_EQ(vote.name, "vote");
    ASSERT_EQ(vote.fields.size(), 2U);
    EXPECT_EQ(vote.fields[0].kind, message::FieldKind::string);
    EXPECT_EQ(vote.fields[0].max_length, 10U);
    EXPECT_TRUE(vote.fields[0].required);
    EXPECT_EQ(vote.fields[1].kind, message::FieldKind::integer);
    EXPECT_FALSE(vote.fields[1].required);
}

TEST(LoadConfig, UnknownKeyIsRejectedByName) {
    auto message = error_for("[server]\nhtp_port = 80\n");
    EXPECT_NE(message.find("server.htp_port"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown"), std::string::npos) << message;

    message = error_for("[connection]\nauth_timeout = 5\n");
    EXPECT_NE(message.find("connection.auth_timeout"), std::string::npos) << message;

    message = error_for("[[room]]\nid = 2\ncolour = \"red\"\n");
    EXPECT_NE(message.find("room[0].colour"), std::string::npos) << message;
}

TEST(LoadConfig, OpenLimitsAreReadWithTheirUnits) {
    const auto config = load(R"(
[open_limits]
calls_per_s_per_address = 5
call_burst_per_address = 20
wrong_codes_per_min_per_app = 30
ban_steps = ["90s", "2m", "1h"]
ban_repeat_window_s = 3600
)");
    EXPECT_EQ(config.open_limits.address.per_second, 5.0);
    EXPECT_EQ(config.open_limits.address.burst, 20.0);
    EXPECT_EQ(config.open_limits.wrong_code_app.per_second, 0.5) << "given per minute, kept per second";
    EXPECT_EQ(config.open_limits.bans.steps_ms, (std::vector<Millis>{90'000, 120'000, 3'600'000}));
    EXPECT_EQ(config.open_limits.bans.repeat_window_ms, 3'600'000);

    auto message = error_for("[open_limits]\nban_steps = [\"1h\", \"1m\"]\n");
    EXPECT_NE(message.find("open_limits.ban_steps"), std::string::npos) << message;
    message = error_for("[open_limits]\nban_steps = [\"soon\"]\n");
    EXPECT_NE(message.find("not a duration"), std::string::npos) << message;
    message = error_for("[open_limits]\nban_steps = []\n");
    EXPECT_NE(message.find("1 to 16"), std::string::npos) << message;
}

TEST(LoadConfig, UnknownSectionIsRejectedByName) {
    auto message = error_for("[servre]\nhttp_port = 80\n");
    EXPECT_NE(message.find("servre"), std::string::npos) << message;
}

TEST(LoadConfig, ErrorsNameTheFile) {
    ConfigFile file("[server]\nbogus = 1\n");
    try {
        load_config(file.path());
        FAIL() << "accepted an unknown key";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find(file.path()), std::string::npos) << error.what();
    }
}

TEST(LoadConfig, BadValueIsRejectedByName) {
    struct Case {
        std::string_view text;
        std::string_view key;
    };
    const Case cases[] = {
        {"[server]\nhttp_port = 70000\n", "server.http_port"},
        {"[server]\nhttp_port = \"eighty\"\n", "server.http_port"},
        {"[server]\nlisten_address = 127\n", "server.listen_address"},
        {"[auth]\ntoken_ttl_s = 0\n", "auth.token_ttl_s"},
        {"[connection]\nauth_timeout_ms = 1\n", "connection.auth_timeout_ms"},
        {"[connection]\npacket_bytes_max = 300000\n", "connection.packet_bytes_max"},
        {"[connection]\ndecompressed_bytes_max = 1024\n", "connection.decompressed_bytes_max"},
        {"[connection]\npackets_per_s = 0\n", "connection.packets_per_s"},
        {"[security]\ntrusted_proxies = [\"proxy.local\"]\n", "security.trusted_proxies"},
        {"[security]\nconnections_per_address = -1\n", "security.connections_per_address"},
        {"[security]\njoins_per_s_per_user = 0\n", "security.joins_per_s_per_user"},
        {"[connection]\noutbound_bytes_max = 100\n", "connection.outbound_bytes_max"},
        {"[rooms]\nhistory_length = 0\n", "rooms.history_length"},
        {"[rooms]\nenter_events = \"some\"\n", "rooms.enter_events"},
        {"[danmaku]\nrate_per_s = 0\n", "danmaku.rate_per_s"},
        {"[danmaku]\nburst = 0.5\n", "danmaku.burst"},
        {"[danmaku]\nrate_exempt_role = \"emperor\"\n", "danmaku.rate_exempt_role"},
        {"[storage]\nsqlite_synchronous_full = \"yes\"\n", "storage.sqlite_synchronous_full"},
        {"[[room]]\ntitle = \"no id\"\n", "room[0].id"},
        {"[[room]]\nid = 2\nmanagers = [0]\n", "room[0].managers"},
        {"[[user]]\nuid = 5\nname = \"x\"\nrole = \"king\"\n", "user[0].role"},
        {"[[custom_type]]\nname = \"Bad-Name\"\nfields = [{ name = \"a\" }]\n", "custom_type[0].name"},
        {"[[custom_type]]\nname = \"danmaku\"\nfields = [{ name = \"a\" }]\n", "custom_type[0].name"},
        {"[[custom_type]]\nname = \"vote\"\nfields = [{ name = \"a\", kind = \"date\" }]\n",
         "custom_type[0].fields[0].kind"},
        {"server = 1\n", "server"},
    };
    for (const auto& c : cases) {
        auto message = error_for(c.text);
        EXPECT_NE(message.find(c.key), std::string::npos) << "for:\n" << c.text << "got: " << message;
    }
}

TEST(LoadConfig, SyntaxErrorIsReportedWithTheFile) {
    ConfigFile file("[server\nhttp_port = 1\n");
    try {
        load_config(file.path());
        FAIL() << "accepted broken TOML";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find(file.path()), std::string::npos) << error.what();
    }
}

// The shipped example is what operators copy: it must load, and the values it states must be the
// built-in defaults it says they are.
TEST(LoadConfig, ExampleFileLoadsAndStatesTheDefaults) {
    const Config example = load_config(BARRAGE_EXAMPLE_CONFIG);
    const Config defaults = load_config("");
    EXPECT_EQ(example.http_port, defaults.http_port);
    EXPECT_EQ(example.session.auth_timeout_ms, defaults.session.auth_timeout_ms);
    EXPECT_EQ(example.session.heartbeat_timeout_ms, defaults.session.heartbeat_timeout_ms);
    EXPECT_EQ(example.session.outbound_bytes_max, defaults.session.outbound_bytes_max);
    EXPECT_EQ(example.packet_bytes_max, defaults.packet_bytes_max);
    EXPECT_EQ(example.session.packet_rate.per_second, defaults.session.packet_rate.per_second);
    EXPECT_EQ(example.session.packet_rate.burst, defaults.session.packet_rate.burst);
    EXPECT_EQ(example.session.heartbeat_reply_interval_ms, defaults.session.heartbeat_reply_interval_ms);
    EXPECT_EQ(example.caps.per_address_max, defaults.caps.per_address_max);
    EXPECT_EQ(example.caps.trusted_proxies, defaults.caps.trusted_proxies);
    EXPECT_EQ(example.caps.descriptor_headroom, defaults.caps.descriptor_headroom);
    EXPECT_EQ(example.http_idle_timeout_ms, defaults.http_idle_timeout_ms);
    EXPECT_EQ(example.http_idle_timeout_under_pressure_ms, defaults.http_idle_timeout_under_pressure_ms);
    EXPECT_EQ(example.joins.per_address.per_second, defaults.joins.per_address.per_second);
    EXPECT_EQ(example.joins.per_address.burst, defaults.joins.per_address.burst);
    EXPECT_EQ(example.joins.per_user.per_second, defaults.joins.per_user.per_second);
    EXPECT_EQ(example.joins.per_user.burst, defaults.joins.per_user.burst);
    EXPECT_EQ(example.hub.room.history_length, defaults.hub.room.history_length);
    EXPECT_EQ(example.hub.room.batch_interval_ms, defaults.hub.room.batch_interval_ms);
    EXPECT_EQ(example.hub.resume_messages_max, defaults.hub.resume_messages_max);
    EXPECT_EQ(example.danmaku.code_points_max, defaults.danmaku.code_points_max);
    EXPECT_EQ(example.hub.likes.window_ms, defaults.hub.likes.window_ms);
    EXPECT_EQ(example.hub.likes.per_user_per_second, defaults.hub.likes.per_user_per_second);
    EXPECT_EQ(example.hub.likes.clicks_per_window, defaults.hub.likes.clicks_per_window);
    EXPECT_EQ(example.open_wss_links, defaults.open_wss_links);
    EXPECT_EQ(example.open_app_share_per_mille, defaults.open_app_share_per_mille);
}

TEST(LoadConfig, LikesAndTheOpenPlatformsPublicUrlsAreRead) {
    const auto config = load(R"(
[likes]
window_ms = 500
per_user_per_second = 20
clicks_per_window = 5
[open]
wss_links = ["wss://live.example.com/sub", "ws://10.0.0.2:8080/sub"]
)");
    EXPECT_EQ(config.hub.likes.window_ms, 500);
    EXPECT_EQ(config.hub.likes.per_user_per_second, 20U);
    EXPECT_EQ(config.hub.likes.clicks_per_window, 5U);
    EXPECT_EQ(config.open_wss_links,
              (std::vector<std::string>{"wss://live.example.com/sub", "ws://10.0.0.2:8080/sub"}));
    auto message = error_for("[open]\nwss_links = [\"http://example.com/sub\"]\n");
    EXPECT_NE(message.find("open.wss_links"), std::string::npos) << message;
    message = error_for("[open]\nwss_links = [\"wss://a b/sub\"]\n");
    EXPECT_NE(message.find("printable"), std::string::npos) << message;
    message = error_for("[likes]\nwindow_ms = 5\n");
    EXPECT_NE(message.find("likes.window_ms"), std::string::npos) << message;
}

TEST(LoadConfig, AnAppShareIsPerMilleOfThePlatformsPart) {
    EXPECT_EQ(load("[open]\napp_share_per_mille = 300\n").open_app_share_per_mille, 300U);
    EXPECT_EQ(load("").open_app_share_per_mille, 0U) << "apps earn nothing until an operator decides";
    EXPECT_NE(error_for("[open]\napp_share_per_mille = 1001\n").find("open.app_share_per_mille"), std::string::npos);
}

TEST(LoadConfig, MissingFileIsAnError) {
    EXPECT_THROW(load_config("/nonexistent/barrage.toml"), std::runtime_error);
}

TEST(AddDemoDefaults, AddsDemoRoomAndUsersWhenNoneAreConfigured) {
    Config config;
    add_demo_defaults(config);
    ASSERT_EQ(config.rooms.size(), 1U);
    EXPECT_EQ(config.rooms[0].id, RoomId{1});
    EXPECT_EQ(config.rooms[0].host, UserId{1});
    auto role_of = [&config](std::uint64_t uid) {
        for (const auto& user : config.users) {
            if (user.uid.value == uid) {
                return user.role;
            }
        }
        return message::Role::anonymous;
    };
    EXPECT_EQ(role_of(1), message::Role::host);
    EXPECT_EQ(role_of(2), message::Role::manager);
    EXPECT_EQ(role_of(3), message::Role::viewer);
    EXPECT_EQ(role_of(9), message::Role::bot);
    EXPECT_EQ(role_of(10), message::Role::admin);
}

TEST(AddDemoDefaults, KeepsConfiguredRoomsAndUsers) {
    Config config = load("[[room]]\nid = 5\n\n[[user]]\nuid = 8\nname = \"eve\"\n");
    add_demo_defaults(config);
    ASSERT_EQ(config.rooms.size(), 1U);
    EXPECT_EQ(config.rooms[0].id, RoomId{5});
    ASSERT_EQ(config.users.size(), 1U);
    EXPECT_EQ(config.users[0].name, "eve");
}

}  // namespace
}  // namespace barrage::app

namespace barrage::app {
namespace {

// The option table is what the example must state: every option, under its section, with the
// value a default Config holds.
TEST(ConfigOptions, TheExampleStatesEveryOptionWithItsRealDefault) {
    const toml::table example = toml::parse_file(BARRAGE_EXAMPLE_CONFIG);
    const Config example_config = load_config(BARRAGE_EXAMPLE_CONFIG);
    const Config defaults;
    ASSERT_GT(config_options().size(), 40U);
    for (const auto& option : config_options()) {
        const auto* section = example.get(option.section);
        const auto* table = section != nullptr ? section->as_table() : nullptr;
        EXPECT_TRUE(table != nullptr && table->contains(option.key))
            << "config/barrage.example.toml does not state " << option.name();
        EXPECT_EQ(option.show(example_config), option.show(defaults)) << option.name();
    }
}

// Every option refuses a value of the wrong kind or out of its bounds, naming itself.
TEST(ConfigOptions, EveryOptionRefusesABadValueByName) {
    for (const auto& option : config_options()) {
        std::vector<std::string> bad;
        switch (option.kind) {
            case ConfigOption::Kind::integer:
                bad = {"\"seven\"", "1.5", fmt::format("{}", static_cast<std::int64_t>(option.max) + 1)};
                if (option.min > 0) {
                    bad.push_back(fmt::format("{}", static_cast<std::int64_t>(option.min) - 1));
                }
                break;
            case ConfigOption::Kind::number:
                bad = {"\"seven\"", fmt::format("{}", option.max * 2),
                       fmt::format("{}", option.min_open ? option.min : option.min - 1)};
                break;
            case ConfigOption::Kind::boolean: bad = {"\"yes\"", "1"}; break;
            case ConfigOption::Kind::string: bad = {"7", "true"}; break;
            case ConfigOption::Kind::strings: bad = {"\"one\"", "[1, 2]"}; break;
            case ConfigOption::Kind::choice: bad = {"\"no-such-choice\"", "3"}; break;
        }
        for (const auto& value : bad) {
            const auto text = fmt::format("[{}]\n{} = {}\n", option.section, option.key, value);
            const auto message = error_for(text);
            EXPECT_NE(message.find(option.name()), std::string::npos) << text << "got: " << message;
        }
    }
}

TEST(ConfigOptions, ExpectationsSayWhatAValueMustBe) {
    for (const auto& option : config_options()) {
        if (option.name() == "server.http_port") {
            EXPECT_EQ(option.expectation(), "must be an integer in 0..65535");
        }
        if (option.name() == "rooms.enter_events") {
            EXPECT_EQ(option.expectation(), "must be one of none, users, all");
        }
        EXPECT_FALSE(option.why.empty()) << option.name();
    }
}

}  // namespace
}  // namespace barrage::app
