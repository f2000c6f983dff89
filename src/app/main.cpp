// `barrage`: one command for the server and its tools.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <algorithm>
#include <array>
#include <optional>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>

#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "app/cli_client.h"
#include "app/config.h"
#include "app/config_options.h"
#include "app/server.h"
#include "app/settle_command.h"
#include "crypto/random.h"
#include "base/log.h"
#include "http/app_share_api.h"
#include "http/requests.h"
#include "identity/token.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger/verifier.h"
#include "loadgen/bench_command.h"
#include "purchase/earnings_report.h"
#include "sandbox/proxy_command.h"
#include "store/app_shares.h"
#include "store/directory.h"
#include "store/open_apps.h"
#include "store/open_developers.h"

namespace {

using namespace barrage;

// Flags shared by the commands that read the server's configuration.
struct ConfigFlags {
    std::string config_path;
    std::string data_dir;

    void add(CLI::App& command) {
        command.add_option("--config", config_path, "TOML configuration file")->check(CLI::ExistingFile);
        command.add_option("--data-dir", data_dir, "data directory (overrides server.data_dir)");
    }

    app::Config load() const {
        app::Config config = app::load_config(config_path);
        if (!data_dir.empty()) {
            config.data_dir = data_dir;
        }
        app::add_demo_defaults(config);
        return config;
    }
};

void set_log_level(const std::string& level) {
    auto parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off") {
        throw std::runtime_error("config: server.log_level: unknown level \"" + level + "\"");
    }
    spdlog::set_level(parsed);
}

int serve(const app::Config& loaded, int http_port, int tcp_port, int io_threads) {
    app::Config config = loaded;
    if (http_port >= 0) {
        config.http_port = static_cast<std::uint16_t>(http_port);
    }
    if (tcp_port >= 0) {
        config.tcp_port = static_cast<std::uint16_t>(tcp_port);
    }
    if (io_threads >= 0) {
        config.io_threads = static_cast<std::size_t>(io_threads);
    }
    set_log_level(config.log_level);
    SystemClock clock;
    app::Server server(config, clock);
    server.start();
    // The main thread only waits for a signal; the loops do the work.
    boost::asio::io_context signals_context;
    boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
    // SIGHUP reloads the operator's Lua hook and goes on waiting.
    boost::asio::signal_set reloads(signals_context, SIGHUP);
    signals.async_wait([&reloads](boost::system::error_code, int number) {
        log::info("signal {}: shutting down", number);
        reloads.cancel();
    });
    std::function<void(boost::system::error_code, int)> on_reload = [&](boost::system::error_code error, int) {
        if (error) {
            return;
        }
        server.reload_hooks();
        reloads.async_wait(on_reload);
    };
    reloads.async_wait(on_reload);
    signals_context.run();
    server.stop();
    return 0;
}

std::string mint_token(const app::Config& config, std::uint64_t uid, std::string name, const std::string& face,
                       const std::string& role_text, std::int64_t ttl_s, std::uint64_t room = 0) {
    auto role = message::parse_role(role_text);
    if (!role || *role == message::Role::anonymous) {
        throw CLI::ValidationError("--role", "must be viewer, bot, manager, host or admin");
    }
    if (name.empty()) {
        store::Database database({app::database_path(config), true});
        store::Directory directory(database);
        auto user = directory.find_user(UserId{uid});
        name = user ? user->name : "user" + std::to_string(uid);
    }
    SystemClock clock;
    std::int64_t now_s = clock.wall_ms() / 1000;
    identity::Claims claims{UserId{uid}, std::move(name), face, *role, now_s, now_s + ttl_s};
    claims.room = RoomId{room};
    return identity::sign_token(claims, app::resolve_token_secret(config));
}

// Opens the ledger read-only (safe beside a running server) and checks its invariants, the
// apps' running revenue totals and every interactive gift's app cut (by the stored schedule).
int verify_ledger(const app::Config& config) {
    auto opened = app::open_read_only_ledger(config);
    if (!opened) {
        return 2;
    }
    auto report = ledger::verify_ledger(*opened->backend, opened->schedule.get());
    if (!report) {
        std::cerr << "verify failed: " << report.error().message() << "\n";
        return 2;
    }
    std::cout << report->summary() << "\n";
    return report->ok() ? 0 : 1;
}

// Prints a streamer's earnings as one JSON object (the same as GET /api/v1/earnings), read
// read-only from the data directory: safe beside a running server.
int print_earnings(const app::Config& config, std::uint64_t uid, const std::string& from, const std::string& to) {
    auto optional = [](const std::string& text) { return text.empty() ? std::nullopt : std::optional(text); };
    auto query = http::parse_earnings_query(optional(from), optional(to), std::nullopt);
    if (!query) {
        std::cerr << "barrage earnings: " << query.error().detail << "\n";
        return 2;
    }
    auto path = app::database_path(config);
    auto backend = ledger::SqliteLedgerBackend::open({path, true, true});
    if (!backend) {
        std::cerr << "cannot open " << path << ": " << backend.error().message() << "\n";
        return 2;
    }
    const purchase::EarningsRange range{query->from_day, query->to_day};
    auto rows = (*backend)->earnings(uid, range.from_ms(), range.to_ms());
    auto balance = (*backend)->balance(ledger::AccountId::earnings(uid));
    if (!rows || !balance) {
        std::cerr << "cannot read the ledger in " << path << "\n";
        return 2;
    }
    store::Database database({path, true, true});
    std::map<RoomId, std::uint32_t> shares;
    for (const auto& room : store::Directory(database).load_rooms()) {
        shares[room.id] = room.streamer_share_per_mille;
    }
    std::cout << boost::json::serialize(purchase::earnings_report(uid, range, *rows, shares, *balance)) << "\n";
    return 0;
}

// Tokens name users 1..identity::kUidMax; sign_token aborts on anything else.
const auto kTokenUidRange = CLI::Range(std::uint64_t{1}, identity::kUidMax);

// One sub-command each: its flags, and what it does once they are parsed.

struct ServeCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;
    int http_port = -1;
    int tcp_port = -1;
    int io_threads = -1;

    void add(CLI::App& cli) {
        command = cli.add_subcommand("serve", "run the server");
        flags.add(*command);
        command->add_option("--http-port", http_port, "HTTP port (REST, WebSocket /sub); 0 picks a free one")
            ->check(CLI::Range(0, 65535));
        command->add_option("--tcp-port", tcp_port, "raw TCP packet port; 0 picks a free one")
            ->check(CLI::Range(0, 65535));
        command->add_option("--io-threads", io_threads, "I/O threads (0 = one per core)")->check(CLI::Range(0, 256));
    }

    int run() const { return serve(flags.load(), http_port, tcp_port, io_threads); }
};

struct TokenCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;
    std::uint64_t uid = 0;
    std::string name;
    std::string face;
    std::string role = "viewer";
    std::int64_t ttl_s = 0;
    std::uint64_t room = 0;

    void add(CLI::App& cli) {
        command = cli.add_subcommand("token", "print a user token signed with the server's secret");
        flags.add(*command);
        command->add_option("--uid", uid, "user id")->required()->check(kTokenUidRange);
        command->add_option("--name", name, "display name (default: the user's stored name)");
        command->add_option("--face", face, "avatar URL");
        command->add_option("--role", role, "viewer|bot|manager|host|admin");
        command->add_option("--ttl-s", ttl_s, "lifetime in seconds (default: auth.token_ttl_s)")
            ->check(CLI::Range(1LL, 365LL * 24 * 3600));
        command->add_option("--room", room, "good for this room only (an external bot's token)")
            ->check(CLI::Range(std::uint64_t{1}, identity::kUidMax));
    }

    int run() const {
        auto config = flags.load();
        std::cout << mint_token(config, uid, name, face, role, ttl_s > 0 ? ttl_s : config.token_ttl_s, room) << "\n";
        return 0;
    }
};

struct SendCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;
    app::ClientOptions options;
    std::string text;
    std::uint64_t uid = 1;

    void add(CLI::App& cli) {
        command = cli.add_subcommand("send", "send a danmaku to a room over the TCP port");
        flags.add(*command);
        command->add_option("--room", options.room, "room id")->required();
        command->add_option("--msg", text, "danmaku text")->required();
        command->add_option("--uid", uid, "send as this user (a token is minted from the config)")
            ->check(kTokenUidRange);
        command->add_option("--host", options.host, "server address");
        command->add_option("--port", options.port, "server TCP port");
    }

    int run() const {
        auto config = flags.load();
        auto sending = options;
        sending.token = mint_token(config, uid, "", "", "host", 300);
        auto reply = app::send_once(sending, boost::json::serialize(boost::json::object{{"msg", text}}));
        if (!reply) {
            std::cerr << "send failed: " << reply.error().message() << "\n";
            return 1;
        }
        std::cout << *reply << "\n";
        return app::reply_succeeded(*reply) ? 0 : 1;
    }
};

struct WatchCommand {
    CLI::App* command = nullptr;
    app::ClientOptions options;

    void add(CLI::App& cli) {
        command = cli.add_subcommand("watch", "print a room's messages as they arrive (JSON lines)");
        command->add_option("--room", options.room, "room id")->required();
        command->add_option("--host", options.host, "server address");
        command->add_option("--port", options.port, "server TCP port");
        command->add_option("--dialect", options.dialect, "native or web")->check(CLI::IsMember({"native", "web"}));
        command->add_option("--last-seq", options.last_seq, "first replay what came after this sequence");
        command->add_option("--token", options.token, "user token (default: anonymous)");
    }

    int run() const {
        auto status = app::watch(options, [](const std::string& body) {
            std::cout << body << std::endl;
            return true;
        });
        if (!status) {
            std::cerr << "watch ended: " << status.error().message() << "\n";
            return 1;
        }
        return 0;
    }
};

// barrage ledger verify
struct LedgerVerifyCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;

    void add(CLI::App& cli) {
        auto* ledger = cli.add_subcommand("ledger", "inspect the coin ledger");
        ledger->require_subcommand(1);
        command =
            ledger->add_subcommand("verify", "check the invariants: balances sum to zero and equal the journal replay");
        flags.add(*command);
    }

    int run() const { return verify_ledger(flags.load()); }
};

// barrage settle day
struct SettleDayCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;
    std::string date;
    std::string out_dir;

    void add(CLI::App& cli) {
        auto* settle = cli.add_subcommand("settle", "settlement of the open platform's interactive gifts");
        settle->require_subcommand(1);
        command = settle->add_subcommand(
            "day", "bill every app for one UTC day and check the bill against the journal to the coin (read-only)");
        flags.add(*command);
        command->add_option("--date", date, "the UTC day, YYYY-MM-DD")->required();
        command->add_option("--out", out_dir, "write app-<id>-<date>.json and .csv here");
    }

    int run() const { return app::settle_day(flags.load(), date, out_dir); }
};

// barrage wallet grant
struct WalletGrantCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;
    std::uint64_t uid = 0;
    std::int64_t coins = 0;
    std::string reason;
    std::string request_id;
    std::uint64_t operator_uid = 10;
    std::string host = "127.0.0.1";
    int port = -1;

    void add(CLI::App& cli) {
        auto* wallet = cli.add_subcommand("wallet", "operator actions on wallets");
        wallet->require_subcommand(1);
        command = wallet->add_subcommand(
            "grant", "credit coins to a user's wallet through the running server (audited in the journal)");
        flags.add(*command);
        command->add_option("--uid", uid, "user to credit")->required()->check(CLI::Range(1ULL, 1ULL << 62));
        command->add_option("--coins", coins, "coins to credit")
            ->required()
            ->check(CLI::Range(1LL, 1'000'000'000'000LL));
        command->add_option("--reason", reason, "why (kept in the journal)")->required();
        command->add_option("--request-id", request_id,
                            "idempotency key; default: a random one, printed on stderr as \"request id: ...\" "
                            "(pass it to retry: the same id never grants twice)");
        command->add_option("--operator", operator_uid, "admin uid recorded as the operator")->check(kTokenUidRange);
        command->add_option("--host", host, "server address");
        command->add_option("--http-port", port, "server HTTP port (default: the config's)");
    }

    int run() const {
        auto config = flags.load();
        auto token = mint_token(config, operator_uid, "", "", "admin", 300);
        auto id = request_id;
        if (id.empty()) {
            // Random, so two grants never share an id; said, so a retry after a timeout can pass
            // it and credit nothing twice.
            id = "grant-" + crypto::random_hex(16);
            std::cerr << "request id: " << id << "\n";
        }
        auto body = boost::json::serialize(
            boost::json::object{{"uid", uid}, {"coins", coins}, {"reason", reason}, {"request_id", id}});
        auto http_port = port >= 0 ? static_cast<std::uint16_t>(port) : config.http_port;
        auto reply = app::http_post(host, http_port, "/api/v1/admin/grants", token, body);
        if (!reply) {
            std::cerr << "grant failed: " << reply.error().message() << "\n";
            return 1;
        }
        std::cout << *reply << "\n";
        return app::reply_succeeded(*reply) ? 0 : 1;
    }
};

// barrage mod ban|unban|mute|unmute --room R --uid U [--for 10m] [--reason ...] [--global]:
// moderation on the running server through its API (so it takes effect at once and every
// member is told), as an admin whose token is minted from the data directory's secret. Prints
// the server's answer, one JSON object.
struct ModCommand {
    struct Action {
        CLI::App* command = nullptr;
        ConfigFlags flags;
        std::uint64_t room = 0;
        std::uint64_t uid = 0;
        std::string duration;
        std::string reason;
        bool global = false;
    };
    std::array<Action, 4> actions;  // ban, unban, mute, unmute
    std::uint64_t operator_uid = 10;
    std::string host = "127.0.0.1";
    int port = -1;

    static constexpr std::array<std::string_view, 4> kNames{"ban", "unban", "mute", "unmute"};

    void add(CLI::App& cli) {
        auto* mod = cli.add_subcommand("mod", "moderation on the running server: ban, unban, mute, unmute (audited)");
        mod->require_subcommand(1);
        for (std::size_t i = 0; i < actions.size(); ++i) {
            auto& action = actions[i];
            const bool imposes = i % 2 == 0;
            action.command = mod->add_subcommand(std::string(kNames[i]), std::string(kNames[i]) + " a user");
            action.flags.add(*action.command);
            action.command->add_option("--room", action.room, "the room (not with --global)")
                ->check(CLI::Range(1ULL, 1ULL << 62));
            action.command->add_option("--uid", action.uid, "the user")->required()->check(kTokenUidRange);
            if (imposes) {
                action.command->add_option("--for", action.duration,
                                           "how long: 90s, 10m, 2h, 7d (default: until lifted)");
                action.command->add_option("--reason", action.reason, "why (shown to the user, kept in the audit log)");
            }
            if (i < 2) {
                action.command->add_flag("--global", action.global, "the whole platform rather than one room");
            }
            action.command->add_option("--operator", operator_uid, "admin uid recorded as the actor")
                ->check(kTokenUidRange);
            action.command->add_option("--host", host, "server address");
            action.command->add_option("--http-port", port, "server HTTP port (default: the config's)");
        }
    }

    // "10m" -> 600; nullopt for anything else.
    static std::optional<std::int64_t> seconds_of(const std::string& text) {
        if (text.empty()) {
            return 0;
        }
        std::int64_t unit = 1;
        std::string digits = text;
        switch (text.back()) {
            case 's':
                unit = 1;
                digits.pop_back();
                break;
            case 'm':
                unit = 60;
                digits.pop_back();
                break;
            case 'h':
                unit = 3600;
                digits.pop_back();
                break;
            case 'd':
                unit = 86'400;
                digits.pop_back();
                break;
            default: break;
        }
        if (digits.empty() || digits.size() > 9 ||
            !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) {
            return std::nullopt;
        }
        return std::stoll(digits) * unit;
    }

    bool chosen() const {
        return std::ranges::any_of(actions, [](const Action& action) { return action.command->parsed(); });
    }

    int run() const {
        for (std::size_t i = 0; i < actions.size(); ++i) {
            if (actions[i].command->parsed()) {
                return run(i, actions[i]);
            }
        }
        return 2;
    }

    int run(std::size_t index, const Action& action) const {
        const bool imposes = index % 2 == 0;
        const bool ban = index < 2;
        if (action.global == (action.room != 0)) {
            std::cerr << "give exactly one of --room and --global\n";
            return 2;
        }
        const auto seconds = seconds_of(action.duration);
        if (!seconds) {
            std::cerr << "--for: a number with s, m, h or d, e.g. 10m\n";
            return 2;
        }
        auto config = action.flags.load();
        auto token = mint_token(config, operator_uid, "", "", "admin", 300);
        const std::string base =
            action.global ? "/api/v1/bans" : fmt::format("/api/v1/rooms/{}/{}", action.room, ban ? "bans" : "mutes");
        const std::string path = imposes ? base : fmt::format("{}/{}", base, action.uid);
        std::string body;
        if (imposes) {
            body = boost::json::serialize(
                boost::json::object{{"uid", action.uid}, {"for_s", *seconds}, {"reason", action.reason}});
        }
        auto http_port = port >= 0 ? static_cast<std::uint16_t>(port) : config.http_port;
        auto reply = app::http_call(host, http_port, imposes ? "POST" : "DELETE", path, token, body);
        if (!reply) {
            std::cerr << kNames[index] << " failed: " << reply.error().message() << "\n";
            return 1;
        }
        std::cout << *reply << "\n";
        return app::reply_succeeded(*reply) ? 0 : 1;
    }
};

// barrage earnings
struct EarningsCommand {
    CLI::App* command = nullptr;
    ConfigFlags flags;
    std::uint64_t uid = 0;
    std::string from;
    std::string to;

    void add(CLI::App& cli) {
        command = cli.add_subcommand(
            "earnings",
            "print a streamer's earnings per UTC day and in total as JSON (read-only, beside a running server)");
        flags.add(*command);
        command->add_option("--uid", uid, "the streamer's uid")->required()->check(CLI::Range(1ULL, 1ULL << 62));
        command->add_option("--from", from, "first UTC day, YYYYMMDD (default: the first)");
        command->add_option("--to", to, "last UTC day, YYYYMMDD (default: the last)");
    }

    int run() const { return print_earnings(flags.load(), uid, from, to); }
};

// barrage open app create | barrage open code: the open platform's operator actions, on the
// data directory (safe beside a running server: SQLite serialises the writes). One JSON object
// on stdout, so scripts and tests can read it.
struct OpenCommand {
    CLI::App* app_create = nullptr;
    CLI::App* code = nullptr;
    ConfigFlags app_flags;
    ConfigFlags code_flags;
    std::uint64_t developer_uid = 0;
    std::string name;
    bool approve = false;
    std::uint64_t code_uid = 0;
    bool refresh = false;

    void add(CLI::App& cli) {
        auto* open = cli.add_subcommand("open", "the open platform: developers' apps and streamers' identity codes");
        open->require_subcommand(1);
        auto* app = open->add_subcommand("app", "developers' apps");
        app->require_subcommand(1);
        app_create = app->add_subcommand("create", "create an app with fresh access keys (the secret is shown once)");
        app_flags.add(*app_create);
        app_create->add_option("--developer-uid", developer_uid, "the developer who owns it")
            ->required()
            ->check(kTokenUidRange);
        app_create->add_option("--name", name, "the app's name")->required();
        app_create->add_flag("--approve", approve, "approve it at once (otherwise a draft)");
        code = open->add_subcommand("code", "print the identity code of the room a streamer hosts");
        code_flags.add(*code);
        code->add_option("--uid", code_uid, "the streamer")->required()->check(kTokenUidRange);
        code->add_flag("--refresh", refresh, "replace the code (the old one stops working at once)");
    }

    int run_app_create() const {
        auto config = app_flags.load();
        std::filesystem::create_directories(config.data_dir);
        store::Database database({app::database_path(config), true});
        SystemClock clock;
        store::OpenApps apps(database, clock);
        auto made = apps.create_app(UserId{developer_uid}, name, approve, UserId{developer_uid});
        if (!made) {
            std::cerr << "barrage open app create: " << made.error().message() << "\n";
            return 1;
        }
        std::cout << boost::json::serialize(boost::json::object{{"app_id", made->app_id},
                                                                {"access_key_id", made->access_key_id},
                                                                {"access_key_secret", made->access_key_secret},
                                                                {"status", store::to_string(made->status)}})
                  << "\n";
        return 0;
    }

    int run_code() const {
        auto config = code_flags.load();
        std::filesystem::create_directories(config.data_dir);
        store::Database database({app::database_path(config), true});
        store::Directory directory(database);
        // The configured rooms exist once a server has started on this directory; a fresh one
        // gets them here, as `serve` would create them.
        SystemClock clock;
        for (const auto& room : config.rooms) {
            directory.ensure_room(room, clock.wall_ms());
        }
        std::optional<RoomId> hosted;
        for (const auto& room : directory.load_rooms()) {
            if (room.host == UserId{code_uid}) {
                hosted = room.id;
                break;
            }
        }
        if (!hosted) {
            std::cerr << "barrage open code: uid " << code_uid << " hosts no room\n";
            return 1;
        }
        store::OpenApps apps(database, clock);
        auto made = apps.identity_code(*hosted, refresh, UserId{code_uid});
        if (!made) {
            std::cerr << "barrage open code: " << made.error().message() << "\n";
            return 1;
        }
        std::cout << boost::json::serialize(boost::json::object{{"room_id", made->room.value}, {"code", made->code}})
                  << "\n";
        return 0;
    }
};

// barrage open developer grant | revoke: the developer role (who may create apps through
// /api/v1/open), on the data directory like `open app create`; audited with actor 0, the command
// line. One JSON object on stdout: {"uid","developer","changed"}.
struct OpenDeveloperCommand {
    CLI::App* grant = nullptr;
    CLI::App* revoke = nullptr;
    ConfigFlags grant_flags;
    ConfigFlags revoke_flags;
    std::uint64_t uid = 0;
    std::string reason;

    // After OpenCommand::add, which makes `open`.
    void add(CLI::App& cli) {
        auto* developer =
            cli.get_subcommand("open")->add_subcommand("developer", "the developer role: who may create apps");
        developer->require_subcommand(1);
        grant = developer->add_subcommand("grant", "make a user a developer (audited)");
        revoke = developer->add_subcommand("revoke", "take the developer role away (audited; apps keep their status)");
        for (auto [command, flags] : {std::pair{grant, &grant_flags}, std::pair{revoke, &revoke_flags}}) {
            flags->add(*command);
            command->add_option("--uid", uid, "the user")->required()->check(kTokenUidRange);
            command->add_option("--reason", reason, "why (kept in the audit log)");
        }
    }

    bool parsed() const { return grant->parsed() || revoke->parsed(); }

    int run() const {
        const bool developer = grant->parsed();
        const char* name = developer ? "grant" : "revoke";
        auto config = (developer ? grant_flags : revoke_flags).load();
        std::filesystem::create_directories(config.data_dir);
        store::Database database({app::database_path(config), true});
        SystemClock clock;
        store::OpenDevelopers developers(database, clock);
        const store::DeveloperChange change{.uid = UserId{uid}, .actor = UserId{0}, .reason = reason};
        auto changed = developer ? developers.grant(change) : developers.revoke(change);
        if (!changed) {
            std::cerr << "barrage open developer " << name << ": " << changed.error().message() << "\n";
            return 1;
        }
        std::cout << boost::json::serialize(
                         boost::json::object{{"uid", uid}, {"developer", developer}, {"changed", *changed}})
                  << "\n";
        return 0;
    }
};

// barrage options: every scalar option of the configuration file, from the option table.
struct OptionsCommand {
    CLI::App* command = nullptr;

    void add(CLI::App& cli) {
        command = cli.add_subcommand("options", "list every configuration option: default, what it must be, and why");
    }

    int run() const {
        const app::Config defaults;
        std::string_view section;
        for (const auto& option : app::config_options()) {
            if (option.section != section) {
                section = option.section;
                std::cout << (section == app::config_options().front().section ? "" : "\n") << "[" << section << "]\n";
            }
            std::cout << "# " << option.why << " (" << option.expectation() << ")\n"
                      << option.key << " = " << option.show(defaults) << "\n";
        }
        return 0;
    }
};

// barrage sandbox-proxy: a game's open-platform calls forwarded unchanged, counted in a report.
struct SandboxProxyCommand {
    CLI::App* command = nullptr;
    std::string listen = "127.0.0.1:8081";
    std::string upstream;
    std::string report;
    Millis upstream_timeout_ms = sandbox::ProxyOptions{}.upstream_timeout_ms;

    // A CLI11 check from a start-up parser that throws std::invalid_argument.
    template <class Parse>
    static CLI::Validator parsed_by(Parse parse, std::string description) {
        return CLI::Validator(
            [parse](std::string& text) {
                try {
                    parse(text);
                    return std::string();
                } catch (const std::invalid_argument& error) {
                    return std::string(error.what());
                }
            },
            std::move(description));
    }

    void add(CLI::App& cli) {
        command = cli.add_subcommand("sandbox-proxy",
                                     "forward a game's open-platform calls to an upstream unchanged; on SIGINT or "
                                     "SIGTERM write a JSON report of the calls, codes and latencies");
        command->add_option("--listen", listen, "PORT, ADDRESS:PORT or [IPV6]:PORT to listen on (port 0 picks one)")
            ->capture_default_str()
            ->check(parsed_by(sandbox::parse_listen_address, "ADDRESS"));
        command->add_option("--upstream", upstream, "base URL to forward to, http:// only (e.g. http://127.0.0.1:8080)")
            ->required()
            ->check(parsed_by(sandbox::parse_upstream, "URL"));
        command->add_option("--report", report, "JSON report file, written on exit")->required();
        command->add_option("--upstream-timeout-ms", upstream_timeout_ms, "an upstream call's whole time; past it 502")
            ->capture_default_str()
            ->check(CLI::Range(Millis{1}, Millis{600'000}));
    }

    int run() const {
        sandbox::ProxyOptions options;
        options.listen = sandbox::parse_listen_address(listen);
        options.upstream = sandbox::parse_upstream(upstream);
        options.upstream_timeout_ms = upstream_timeout_ms;
        return sandbox::run_proxy(std::move(options), report);
    }
};

struct BenchCommand {
    CLI::App* command = nullptr;
    loadgen::BenchOptions options;

    void add(CLI::App& cli) {
        command = cli.add_subcommand("bench", "load generator: fan-out throughput, loss and latency");
        loadgen::add_bench_options(*command, options);
    }

    int run() const { return loadgen::run_bench(options); }
};

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("barrage"));
    CLI::App cli{"Barrage: a live-room interaction server (danmaku, presence, fan-out)."};
    cli.require_subcommand(1);

    ServeCommand serve;
    TokenCommand token;
    SendCommand send;
    WatchCommand watch;
    LedgerVerifyCommand ledger_verify;
    SettleDayCommand settle_day;
    WalletGrantCommand wallet_grant;
    ModCommand mod;
    EarningsCommand earnings;
    OpenCommand open_platform;
    OpenDeveloperCommand open_developer;
    OptionsCommand options;
    SandboxProxyCommand sandbox_proxy;
    BenchCommand bench;
    serve.add(cli);
    token.add(cli);
    send.add(cli);
    watch.add(cli);
    ledger_verify.add(cli);
    settle_day.add(cli);
    wallet_grant.add(cli);
    mod.add(cli);
    earnings.add(cli);
    open_platform.add(cli);
    open_developer.add(cli);
    options.add(cli);
    sandbox_proxy.add(cli);
    bench.add(cli);

    CLI11_PARSE(cli, argc, argv);

    const auto chosen = [](const auto& command) { return command.command != nullptr && command.command->parsed(); };
    try {
        if (chosen(serve)) {
            return serve.run();
        }
        if (chosen(token)) {
            return token.run();
        }
        if (chosen(send)) {
            return send.run();
        }
        if (chosen(watch)) {
            return watch.run();
        }
        if (chosen(ledger_verify)) {
            return ledger_verify.run();
        }
        if (chosen(settle_day)) {
            return settle_day.run();
        }
        if (chosen(wallet_grant)) {
            return wallet_grant.run();
        }
        if (mod.chosen()) {
            return mod.run();
        }
        if (chosen(earnings)) {
            return earnings.run();
        }
        if (open_platform.app_create->parsed()) {
            return open_platform.run_app_create();
        }
        if (open_platform.code->parsed()) {
            return open_platform.run_code();
        }
        if (open_developer.parsed()) {
            return open_developer.run();
        }
        if (chosen(options)) {
            return options.run();
        }
        if (chosen(sandbox_proxy)) {
            return sandbox_proxy.run();
        }
        if (chosen(bench)) {
            return bench.run();
        }
    } catch (const std::exception& error) {
        std::cerr << "barrage: " << error.what() << "\n";
        return 2;
    }
    return 0;
}
