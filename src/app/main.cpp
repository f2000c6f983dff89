// `barrage`: one command for the server and its tools.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "app/cli_client.h"
#include "app/config.h"
#include "app/server.h"
#include "base/log.h"
#include "http/requests.h"
#include "identity/token.h"
#include "ledger/sqlite_ledger_backend.h"
#include "ledger/verifier.h"
#include "loadgen/bench_command.h"
#include "purchase/earnings_report.h"
#include "store/directory.h"

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

int serve(const ConfigFlags& flags, int http_port, int tcp_port, int io_threads) {
    app::Config config = flags.load();
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
    signals.async_wait([](boost::system::error_code, int number) {
        log::info("signal {}: shutting down", number);
    });
    signals_context.run();
    server.stop();
    return 0;
}

std::string mint_token(const app::Config& config, std::uint64_t uid, std::string name, const std::string& face,
                       const std::string& role_text, std::int64_t ttl_s) {
    auto role = message::parse_role(role_text);
    if (!role || *role == message::Role::anonymous) {
        throw CLI::ValidationError("--role", "must be viewer, bot, manager, host or admin");
    }
    if (name.empty()) {
        store::Database database({(std::filesystem::path(config.data_dir) / "barrage.db").string(), true});
        store::Directory directory(database);
        auto user = directory.find_user(UserId{uid});
        name = user ? user->name : "user" + std::to_string(uid);
    }
    SystemClock clock;
    std::int64_t now_s = clock.wall_ms() / 1000;
    identity::Claims claims{UserId{uid}, std::move(name), face, *role, now_s, now_s + ttl_s};
    return identity::sign_token(claims, app::resolve_token_secret(config));
}

// Opens the ledger read-only (safe beside a running server) and checks its invariants.
int verify_ledger(const app::Config& config) {
    auto path = (std::filesystem::path(config.data_dir) / "barrage.db").string();
    auto backend = ledger::SqliteLedgerBackend::open({path, true, true});
    if (!backend) {
        std::cerr << "cannot open " << path << ": " << backend.error().message() << "\n";
        return 2;
    }
    auto report = ledger::verify_ledger(**backend);
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
    auto path = (std::filesystem::path(config.data_dir) / "barrage.db").string();
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

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("barrage"));
    CLI::App cli{"Barrage: a live-room interaction server (danmaku, presence, fan-out)."};
    cli.require_subcommand(1);

    ConfigFlags serve_flags;
    int http_port = -1;
    int tcp_port = -1;
    int io_threads = -1;
    auto* serve_command = cli.add_subcommand("serve", "run the server");
    serve_flags.add(*serve_command);
    serve_command->add_option("--http-port", http_port, "HTTP port (REST, WebSocket /sub); 0 picks a free one")
        ->check(CLI::Range(0, 65535));
    serve_command->add_option("--tcp-port", tcp_port, "raw TCP packet port; 0 picks a free one")
        ->check(CLI::Range(0, 65535));
    serve_command->add_option("--io-threads", io_threads, "I/O threads (0 = one per core)")
        ->check(CLI::Range(0, 256));

    ConfigFlags token_flags;
    std::uint64_t uid = 0;
    std::string name;
    std::string face;
    std::string role = "viewer";
    std::int64_t ttl_s = 0;
    auto* token_command = cli.add_subcommand("token", "print a user token signed with the server's secret");
    token_flags.add(*token_command);
    // Tokens name users 1..identity::kUidMax; sign_token aborts on anything else.
    const auto token_uid_range = CLI::Range(std::uint64_t{1}, identity::kUidMax);
    token_command->add_option("--uid", uid, "user id")->required()->check(token_uid_range);
    token_command->add_option("--name", name, "display name (default: the user's stored name)");
    token_command->add_option("--face", face, "avatar URL");
    token_command->add_option("--role", role, "viewer|bot|manager|host|admin");
    token_command->add_option("--ttl-s", ttl_s, "lifetime in seconds (default: auth.token_ttl_s)")
        ->check(CLI::Range(1LL, 365LL * 24 * 3600));

    ConfigFlags send_flags;
    app::ClientOptions send_options;
    std::string send_text;
    std::uint64_t send_uid = 1;
    auto* send_command = cli.add_subcommand("send", "send a danmaku to a room over the TCP port");
    send_flags.add(*send_command);
    send_command->add_option("--room", send_options.room, "room id")->required();
    send_command->add_option("--msg", send_text, "danmaku text")->required();
    send_command->add_option("--uid", send_uid, "send as this user (a token is minted from the config)")
        ->check(token_uid_range);
    send_command->add_option("--host", send_options.host, "server address");
    send_command->add_option("--port", send_options.port, "server TCP port");

    app::ClientOptions watch_options;
    auto* watch_command = cli.add_subcommand("watch", "print a room's messages as they arrive (JSON lines)");
    watch_command->add_option("--room", watch_options.room, "room id")->required();
    watch_command->add_option("--host", watch_options.host, "server address");
    watch_command->add_option("--port", watch_options.port, "server TCP port");
    watch_command->add_option("--dialect", watch_options.dialect, "native or web")
        ->check(CLI::IsMember({"native", "web"}));
    watch_command->add_option("--last-seq", watch_options.last_seq, "first replay what came after this sequence");
    watch_command->add_option("--token", watch_options.token, "user token (default: anonymous)");

    // barrage ledger verify
    ConfigFlags ledger_flags;
    auto* ledger_command = cli.add_subcommand("ledger", "inspect the coin ledger");
    ledger_command->require_subcommand(1);
    auto* verify_command = ledger_command->add_subcommand(
        "verify", "check the invariants: balances sum to zero and equal the journal replay");
    ledger_flags.add(*verify_command);

    // barrage wallet grant
    ConfigFlags grant_flags;
    std::uint64_t grant_uid = 0;
    std::int64_t grant_coins = 0;
    std::string grant_reason;
    std::string grant_request_id;
    std::uint64_t grant_operator = 10;
    std::string grant_host = "127.0.0.1";
    int grant_port = -1;
    auto* wallet_command = cli.add_subcommand("wallet", "operator actions on wallets");
    wallet_command->require_subcommand(1);
    auto* grant_command = wallet_command->add_subcommand(
        "grant", "credit coins to a user's wallet through the running server (audited in the journal)");
    grant_flags.add(*grant_command);
    grant_command->add_option("--uid", grant_uid, "user to credit")->required()->check(CLI::Range(1ULL, 1ULL << 62));
    grant_command->add_option("--coins", grant_coins, "coins to credit")->required()->check(CLI::Range(1LL, 1'000'000'000'000LL));
    grant_command->add_option("--reason", grant_reason, "why (kept in the journal)")->required();
    grant_command->add_option("--request-id", grant_request_id,
                              "idempotency key; default: a random one, printed on stderr as \"request id: ...\" "
                              "(pass it to retry: the same id never grants twice)");
    grant_command->add_option("--operator", grant_operator, "admin uid recorded as the operator")
        ->check(token_uid_range);
    grant_command->add_option("--host", grant_host, "server address");
    grant_command->add_option("--http-port", grant_port, "server HTTP port (default: the config's)");

    // barrage earnings
    ConfigFlags earnings_flags;
    std::uint64_t earnings_uid = 0;
    std::string earnings_from;
    std::string earnings_to;
    auto* earnings_command = cli.add_subcommand(
        "earnings", "print a streamer's earnings per UTC day and in total as JSON (read-only, beside a running server)");
    earnings_flags.add(*earnings_command);
    earnings_command->add_option("--uid", earnings_uid, "the streamer's uid")->required()->check(CLI::Range(1ULL, 1ULL << 62));
    earnings_command->add_option("--from", earnings_from, "first UTC day, YYYYMMDD (default: the first)");
    earnings_command->add_option("--to", earnings_to, "last UTC day, YYYYMMDD (default: the last)");

    loadgen::BenchOptions bench_options;
    auto* bench_command = cli.add_subcommand("bench", "load generator: fan-out throughput, loss and latency");
    loadgen::add_bench_options(*bench_command, bench_options);

    CLI11_PARSE(cli, argc, argv);

    try {
        if (*serve_command) {
            return serve(serve_flags, http_port, tcp_port, io_threads);
        }
        if (*token_command) {
            auto config = token_flags.load();
            std::cout << mint_token(config, uid, name, face, role, ttl_s > 0 ? ttl_s : config.token_ttl_s) << "\n";
            return 0;
        }
        if (*send_command) {
            auto config = send_flags.load();
            send_options.token = mint_token(config, send_uid, "", "", "host", 300);
            auto reply = app::send_once(send_options, boost::json::serialize(boost::json::object{{"msg", send_text}}));
            if (!reply) {
                std::cerr << "send failed: " << reply.error().message() << "\n";
                return 1;
            }
            std::cout << *reply << "\n";
            return reply->find("\"code\":0") != std::string::npos ? 0 : 1;
        }
        if (*watch_command) {
            auto status = app::watch(watch_options, [](const std::string& body) {
                std::cout << body << std::endl;
                return true;
            });
            if (!status) {
                std::cerr << "watch ended: " << status.error().message() << "\n";
                return 1;
            }
            return 0;
        }
        if (*verify_command) {
            return verify_ledger(ledger_flags.load());
        }
        if (*grant_command) {
            auto config = grant_flags.load();
            auto token = mint_token(config, grant_operator, "", "", "admin", 300);
            if (grant_request_id.empty()) {
                // Random, so two grants never share an id; said, so a retry after a timeout can
                // pass it and credit nothing twice.
                grant_request_id = "grant-" + app::random_hex(16);
                std::cerr << "request id: " << grant_request_id << "\n";
            }
            auto body = boost::json::serialize(boost::json::object{{"uid", grant_uid},
                                                                   {"coins", grant_coins},
                                                                   {"reason", grant_reason},
                                                                   {"request_id", grant_request_id}});
            auto port = grant_port >= 0 ? static_cast<std::uint16_t>(grant_port) : config.http_port;
            auto reply = app::http_post(grant_host, port, "/api/v1/admin/grants", token, body);
            if (!reply) {
                std::cerr << "grant failed: " << reply.error().message() << "\n";
                return 1;
            }
            std::cout << *reply << "\n";
            return reply->find("\"code\":0") != std::string::npos ? 0 : 1;
        }
        if (*earnings_command) {
            return print_earnings(earnings_flags.load(), earnings_uid, earnings_from, earnings_to);
        }
        if (*bench_command) {
            return loadgen::run_bench(bench_options);
        }
    } catch (const std::exception& error) {
        std::cerr << "barrage: " << error.what() << "\n";
        return 2;
    }
    return 0;
}
