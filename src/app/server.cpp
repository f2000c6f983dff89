#include "app/server.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/demo_art.h"
#include "base/log.h"
#include "crypto/hex.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "gateway/client_session.h"
#include "gateway/hub.h"
#include "http/api.h"
#include "http/account_api.h"
#include "http/asset_api.h"
#include "http/developer_api.h"
#include "http/identity_code_api.h"
#include "http/economy_api.h"
#include "http/open_api.h"
#include "http/open_gift_api.h"
#include "http/open_security_api.h"
#include "http/app_revenue_metrics.h"
#include "http/app_share_api.h"
#include "http/operator_api.h"
#include "http/payment_api.h"
#include "http/gift_art.h"
#include "http/router.h"
#include "http/web_pages.h"
#include "ledger/open_ledger.h"
#include "payments/callback.h"
#include "purchase/catalogue_shelf.h"
#include "purchase/purchase_desk.h"
#include "net/io_threads.h"
#include "net/listeners.h"
#include "store/app_shares.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/gift_assets.h"
#include "store/like_totals.h"
#include "store/moderation_store.h"
#include "http/moderation_api.h"
#include "http/bot_api.h"
#include "bot/room_bots.h"
#include "http/demo_api.h"
#include "http/feedback_api.h"
#include "http/hook_api.h"
#include "http/ledger_api.h"
#include "hook/lua_script_source.h"
#include "hook/webhook.h"
#include "moderation/global_bans.h"
#include "moderation/room_moderation.h"
#include "moderation/shared_word_list.h"
#include "moderation/word_list.h"
#include "store/open_apps.h"

namespace barrage::app {

namespace {

std::unique_ptr<store::Database> open_database(const Config& config) {
    std::filesystem::create_directories(config.data_dir);
    return std::make_unique<store::Database>(
        store::Database::Options{database_path(config), config.sqlite_synchronous_full});
}

// A stored room as the hub keeps it, with its host's name from the users table.
room::RoomConfig to_room_config(store::Directory& directory, const store::RoomRecord& record) {
    auto host = record.host.value != 0 ? directory.find_user(record.host) : std::nullopt;
    return {.id = record.id,
            .title = record.title,
            .host = record.host,
            .managers = record.managers,
            .danmaku_price = record.danmaku_price,
            .streamer_share_per_mille = record.streamer_share_per_mille,
            .host_name = host ? host->name : std::string(),
            .live = record.live,
            .area_id = record.area_id,
            .area_name = record.area_name,
            .like_total = record.likes};
}

// A key for payment order ids, derived from the token secret so it survives restarts without
// another setting, and differs from it so neither can stand in for the other.
std::string order_key(const std::string& token_secret) {
    return payments::sign_callback(token_secret, "barrage", "payment-orders");
}

// Keys derived from the token secret for one purpose each, so none can stand in for another.
std::string open_id_key(const std::string& token_secret) {
    return crypto::to_hex(crypto::bytes_of(crypto::hmac_sha256(token_secret, "barrage open_id")));
}
std::string game_ticket_key(const std::string& token_secret) {
    return crypto::to_hex(crypto::bytes_of(crypto::hmac_sha256(token_secret, "barrage game tickets")));
}

// The embedded demo's open platform: an approved app of the demo streamer (app 1 on a fresh data
// directory, the app the demo catalogue's interactive gift belongs to), whose keys and the demo
// room's identity code are logged so that a newcomer can start a game at once (README).
void announce_demo_game(store::Database& database, const Clock& clock, const std::vector<store::RoomRecord>& rooms) {
    if (rooms.empty()) {
        return;
    }
    const auto& demo_room = rooms.front();
    constexpr std::string_view kName = "Demo game";
    store::OpenApps apps(database, clock);
    auto app = apps.find_by_name(demo_room.host, kName);
    if (!app) {
        auto created = apps.create_app(demo_room.host, kName, true, demo_room.host);
        if (!created) {
            log::warn("open platform demo: cannot create the demo app: {}", created.error().message());
            return;
        }
        app = std::move(*created);
    }
    auto code = apps.identity_code(demo_room.id, false, demo_room.host);
    if (!code) {
        log::warn("open platform demo: cannot make room {}'s identity code: {}", demo_room.id.value,
                  code.error().message());
        return;
    }
    log::info(
        "open platform demo (a demo's keys; a real app's secret is never logged): app_id {} access_key_id {} "
        "access_key_secret {}",
        app->app_id, app->access_key_id, app->access_key_secret);
    log::info("open platform demo: room {}'s identity code {} (see README, \"A game on the open platform\")",
              demo_room.id.value, code->code);
}

// The asset library's files: beside the database, named by their hashes.
std::filesystem::path assets_directory(const Config& config) {
    return std::filesystem::path(config.data_dir) / "assets";
}

// What answers the HTTP requests that are not WebSocket upgrades: files in memory first, then
// the route table.
struct HttpAnswerers {
    const http::Router& router;
    const http::AssetApi& assets;   // /assets/: the asset library
    const http::GiftArt& gift_art;  // /gifts/: the demo catalogue's art
    const http::WebPages& pages;    // /room/{id}, /static/, ...: the web pages
};

boost::asio::awaitable<net::HttpResponse> answer_http(HttpAnswerers answerers, net::HttpRequest request) {
    if (http::AssetApi::serves(request.target)) {
        co_return answerers.assets.serve(request.method, request.target);
    }
    if (http::GiftArt::serves(request.target)) {
        co_return answerers.gift_art.serve(request.method, request.target);
    }
    if (http::WebPages::serves(request.target)) {
        co_return answerers.pages.serve(request.method, request.target);
    }
    auto answering = answerers.router.dispatch(std::move(request));
    co_return co_await std::move(answering);
}

// The body limit of a request: an admin's asset upload may carry a whole image (up to the
// library's kAssetBytesMax); everyone else, and every other call, keeps the listener's 64 KiB,
// so the larger limit is no lever for a stranger: the token is checked before the body is read.
std::size_t body_bytes_max_of(const gateway::Services& services, std::size_t otherwise, std::string_view method,
                              std::string_view target, std::string_view authorization) {
    if (method != "POST" || target.substr(0, target.find('?')) != "/api/v1/admin/assets") {
        return otherwise;
    }
    auto sender = gateway::sender_from_token(services, http::bearer_token(authorization));
    if (!sender || sender->role < message::Role::admin) {
        return otherwise;
    }
    return std::max(otherwise, store::kAssetBytesMax);
}

net::ListenerOptions listener_options(const Config& config, std::uint16_t port, security::ConnectionCaps& caps) {
    net::ListenerOptions options;
    options.address = config.listen_address;
    options.port = port;
    if (config.packet_bytes_max != 0) {
        // A compressed body inflates to at most the packet limit: compression must not let in
        // what the limit keeps out.
        options.decode_limits.packet_bytes_max = config.packet_bytes_max;
        options.decode_limits.decompressed_bytes_max = config.packet_bytes_max;
    }
    options.caps = &caps;
    options.stream_send_buffer_bytes = config.send_buffer_bytes;
    options.http_idle_timeout_ms = config.http_idle_timeout_ms;
    options.http_idle_timeout_under_pressure_ms = config.http_idle_timeout_under_pressure_ms;
    return options;
}

}  // namespace

std::string resolve_token_secret(const Config& config) {
    if (!config.token_secret.empty()) {
        return config.token_secret;
    }
    auto database = open_database(config);
    store::Directory directory(*database);
    return directory.setting_or_set("token_secret", crypto::random_hex(32));
}

// Declared in the order they must be built; destroyed in reverse.
struct Server::Parts {
    std::unique_ptr<store::Database> database;
    std::unique_ptr<store::Directory> directory;
    boost::asio::thread_pool store_pool{1};
    std::unique_ptr<store::LikeTotals> like_totals;
    // Platform-wide moderation and the operator's hook: the hub holds pointers to them.
    moderation::GlobalBans global_bans;
    moderation::SharedWordList global_words;
    hook::LuaScriptSource lua;
    std::unique_ptr<ledger::Ledger> ledger;
    // Before the loops: connections torn down with the loops still hand back their leases.
    std::unique_ptr<security::ConnectionCaps> caps;
    std::unique_ptr<gateway::JoinGate> joins;
    std::unique_ptr<net::IoThreads> loops;
    std::unique_ptr<gateway::Hub> hub;
    std::unique_ptr<purchase::PurchaseDesk> desk;
    // The catalogue as the operator's gifts and the open platform's approved ones (after desk).
    std::unique_ptr<purchase::CatalogueShelf> catalogue;
    asset::AssetShelf asset_shelf;  // the asset library's files as served
    std::unique_ptr<gateway::Services> services;
    std::unique_ptr<gateway::SessionRegistry> sessions;
    std::unique_ptr<http::EconomyApi> economy;
    std::unique_ptr<http::PaymentApi> payments;
    std::unique_ptr<http::OperatorApi> operators;
    std::unique_ptr<http::AccountApi> accounts;
    std::unique_ptr<open::GameTickets> game_tickets;
    std::unique_ptr<open::AbuseGuard> open_guard;  // before the APIs that use it
    std::unique_ptr<http::OpenApi> open;
    std::unique_ptr<http::DeveloperApi> developers;
    std::unique_ptr<http::OpenGiftApi> gifts;
    std::unique_ptr<http::AssetApi> assets;
    std::unique_ptr<http::WebPages> pages;
    http::GiftArt gift_art;
    std::unique_ptr<http::OpenSecurityApi> open_security;
    std::unique_ptr<http::IdentityCodeApi> identity_codes;
    std::unique_ptr<http::ModerationApi> moderation;
    std::unique_ptr<http::HookApi> hooks;
    std::unique_ptr<http::DemoApi> demo;
    std::unique_ptr<http::LedgerApi> ledger_checks;
    std::unique_ptr<http::FeedbackApi> feedback;
    std::unique_ptr<http::BotApi> bots;
    std::unique_ptr<http::AppShareApi> app_shares;
    std::unique_ptr<http::AppRevenueMetrics> app_revenue;
    std::unique_ptr<http::Api> api;
    std::unique_ptr<http::Router> router;
    std::unique_ptr<net::HttpListener> http;
    std::unique_ptr<net::TcpListener> tcp;
    std::string token_secret;
    bool stopped = false;
};

Server::Server(Config config, const Clock& clock) : config_(std::move(config)), clock_(clock) {}

Server::~Server() {
    if (parts_ && !parts_->stopped) {
        stop(0);
    }
}

void Server::open_economy(Parts& parts) {
    ledger::Ledger::Options options;
    options.writer.request_retention_ms = config_.idempotency_retention_ms;
    auto opened =
        ledger::open_sqlite_ledger({database_path(config_), config_.sqlite_synchronous_full, false}, clock_, options);
    if (!opened) {
        throw std::runtime_error("cannot open the ledger in " + database_path(config_) + ": " +
                                 opened.error().message());
    }
    parts.ledger = std::move(*opened);
    // Interactive gifts' app shares: the configured default recorded if it changed, then the
    // whole schedule handed to the writer before any order can arrive.
    store::AppShares shares(*parts.database, clock_);
    if (auto recorded = shares.record_default(config_.open_app_share_per_mille); !recorded) {
        throw std::runtime_error("cannot record open.app_share_per_mille: " + recorded.error().message());
    }
    auto schedule = http::load_app_shares(shares);
    if (!schedule) {
        throw std::runtime_error("cannot read the apps' shares: " + schedule.error().message());
    }
    parts.ledger->set_app_shares(std::move(*schedule));
    auto catalogue = economy::GiftCatalogue::make(config_.gifts);
    if (!catalogue) {
        throw std::runtime_error("config: gift catalogue: " + catalogue.error().message());
    }
    auto guard_prices = economy::GuardPrices::defaults(config_.economy.coins_per_yuan);
    if (!guard_prices) {
        throw std::runtime_error("config: economy.coins_per_yuan: guard prices overflow");
    }
    economy::GiftCatalogue configured = *catalogue;
    parts.desk = std::make_unique<purchase::PurchaseDesk>(
        *parts.hub, *parts.ledger, parts.store_pool.get_executor(),
        std::make_shared<const economy::GiftCatalogue>(std::move(*catalogue)), economy::SuperChatTiers::defaults(),
        std::move(*guard_prices), config_.economy, clock_);
    parts.catalogue = std::make_unique<purchase::CatalogueShelf>(*parts.desk, std::move(configured));
    // Guard memberships are derived from the journal, so they survive restarts exactly.
    auto guards = parts.ledger->purchases(ledger::kGuardCodes, 0);
    // Pinned super chats too, so a manager can still remove one after a restart. The longest
    // pin is two hours; older orders cannot still be pinned.
    constexpr Millis kLongestPinMs = 2 * 3600 * 1000;
    Millis now = clock_.wall_ms();
    auto super_chats = parts.ledger->purchases(ledger::kSuperChatCodes, now - kLongestPinMs);
    if (!guards || !super_chats) {
        throw std::runtime_error("cannot read guard and super chat purchases from the ledger");
    }
    parts.desk->restore_guards(*guards);
    parts.desk->restore_super_chats(*super_chats, now);
}

// Moderation state as stored (migrations 12 and 13): sanctions, modes and room mutes, follows,
// word lists and the rooms' bots go back into their rooms before the loops start; expired
// sanctions are left out.
void Server::restore_moderation(Parts& parts) {
    store::ModerationStore stored(*parts.database);
    const auto state = stored.load(clock_.wall_ms());
    auto room_state = [&](RoomId id) -> moderation::RoomModeration* {
        auto* room = parts.hub->room_for_setup(id);
        return room == nullptr ? nullptr : &moderation::RoomModeration::of(*room, config_.hub.moderation);
    };
    moderation::GlobalBans::Table global;
    for (const auto& record : state.sanctions) {
        if (record.room.value == 0) {
            global.insert_or_assign(record.user, record.sanction);
        } else if (auto* room = room_state(record.room)) {
            const auto kind = record.kind == store::SanctionKind::mute  ? moderation::RoomModeration::Kind::mute
                              : record.kind == store::SanctionKind::ban ? moderation::RoomModeration::Kind::ban
                                                                        : moderation::RoomModeration::Kind::kick;
            room->impose(kind, record.user, record.sanction);
        }
    }
    parts.global_bans.restore(std::move(global));
    for (const auto& record : state.modes) {
        if (auto* room = room_state(record.room)) {
            room->set_modes(record.modes);
            if (record.room_mute) {
                room->mute_room(*record.room_mute);
            }
        }
    }
    for (const auto& record : state.follows) {
        if (auto* room = room_state(record.room)) {
            room->follow(record.user, record.since_ms);
        }
    }
    moderation::TextNormaliser normaliser;
    for (const auto& record : state.words) {
        auto compiled = moderation::WordList::compile(record.entries, normaliser);
        if (!compiled) {
            // Stored lists compiled when they were set; a newer Vectorscan may disagree.
            log::error("word list of room {} no longer compiles (entry {}: {}); the room runs without it",
                       record.room.value, compiled.error().entry, compiled.error().message);
            continue;
        }
        if (record.room.value == 0) {
            parts.global_words.set(*compiled);
        } else if (auto* room = room_state(record.room)) {
            room->set_words(*compiled);
        }
    }
    for (const auto& record : state.bots) {
        auto* room = parts.hub->room_for_setup(record.room);
        if (room == nullptr) {
            continue;
        }
        auto rules = bot::parse_bot_rules(record.rules_json);
        if (!rules) {
            log::error("bot rules of room {} no longer parse ({}: {}); the room runs without its bot",
                       record.room.value, rules.error().field, rules.error().message);
            continue;
        }
        bot::RoomBots::of(*room).set_rules(*rules, clock_.steady_ms(), clock_.wall_ms());
    }
}

void Server::reload_hooks() {
    if (parts_ && parts_->hooks) {
        parts_->hooks->reload_from_file();
    }
}

void Server::start() {
    auto parts = std::make_unique<Parts>();
    parts->database = open_database(config_);
    parts->directory = std::make_unique<store::Directory>(*parts->database);
    parts->token_secret = config_.token_secret.empty()
                              ? parts->directory->setting_or_set("token_secret", crypto::random_hex(32))
                              : config_.token_secret;
    for (const auto& room : config_.rooms) {
        parts->directory->ensure_room(room, clock_.wall_ms());
    }
    for (const auto& user : config_.users) {
        parts->directory->ensure_user(user);
    }
    if (config_.demo) {
        announce_demo_game(*parts->database, clock_, config_.rooms);
        give_demo_gift_art(*parts->database, clock_, config_);
    }

    std::size_t threads =
        config_.io_threads != 0 ? config_.io_threads : std::max(1u, std::thread::hardware_concurrency());
    parts->loops = std::make_unique<net::IoThreads>(threads);
    // The hub follows the hook's scripts whether or not one is configured: an admin may publish
    // one at run time (PUT /api/v1/admin/hooks/lua). Until then no message pays for it.
    auto hub_options = config_.hub;
    hub_options.lua = &parts->lua;
    if (!config_.lua_script.empty()) {
        if (auto loaded = http::publish_lua_file(config_.lua_script, hub_options.lua_options, parts->lua); !loaded) {
            throw std::runtime_error("hooks.lua_script: " + loaded.error().detail);
        }
    }
    if (!config_.webhook.url.empty()) {
        if (!hook::parse_webhook_url(config_.webhook.url)) {
            throw std::runtime_error("hooks.webhook_url: not http://host[:port]/path: " + config_.webhook.url);
        }
        hub_options.webhook = config_.webhook;
    }
    // Shedding runs up to the session's outbound bound, where a connection is closed; a soft
    // bound at or past it (a small outbound_bytes_max with the default soft bound) would never
    // shed, so it is then a quarter of it.
    hub_options.shedding.hard_bytes = config_.session.outbound_bytes_max;
    if (hub_options.shedding.soft_bytes >= hub_options.shedding.hard_bytes) {
        hub_options.shedding.soft_bytes = hub_options.shedding.hard_bytes / 4;
    }
    parts->hub = std::make_unique<gateway::Hub>(*parts->loops, hub_options, clock_);
    for (const auto& room : parts->directory->load_rooms()) {
        parts->hub->add_room(to_room_config(*parts->directory, room));
    }
    parts->hub->set_global_bans(&parts->global_bans);
    parts->hub->set_global_words(&parts->global_words);
    restore_moderation(*parts);
    parts->like_totals = std::make_unique<store::LikeTotals>(*parts->directory, parts->store_pool.get_executor());
    parts->hub->set_like_sink(
        [totals = parts->like_totals.get()](RoomId room, std::uint64_t total) { totals->update(room, total); });
    open_economy(*parts);
    parts->services = std::make_unique<gateway::Services>(
        gateway::Services{*parts->hub, clock_, parts->token_secret, config_.danmaku,
                          message::CustomSchemas(config_.custom_types), config_.session});
    parts->services->paid = parts->desk.get();
    parts->joins = std::make_unique<gateway::JoinGate>(config_.joins, clock_);
    parts->services->joins = parts->joins.get();
    parts->caps = std::make_unique<security::ConnectionCaps>(config_.caps);
    parts->sessions = std::make_unique<gateway::SessionRegistry>(*parts->services, *parts->loops);
    auto store = parts->store_pool.get_executor();
    parts->economy = std::make_unique<http::EconomyApi>(*parts->services, *parts->desk, *parts->ledger, store);
    parts->payments = std::make_unique<http::PaymentApi>(
        *parts->services, *parts->ledger, http::PaymentApi::Options{config_.payments, order_key(parts->token_secret)});
    parts->operators = std::make_unique<http::OperatorApi>(*parts->desk, *parts->catalogue, *parts->ledger, store,
                                                           config_.payments.coins_max);
    parts->accounts = std::make_unique<http::AccountApi>(*parts->services, *parts->ledger, store);
    parts->game_tickets = std::make_unique<open::GameTickets>(game_ticket_key(parts->token_secret));
    parts->services->game_tickets = parts->game_tickets.get();
    parts->open_guard = std::make_unique<open::AbuseGuard>(config_.open_limits, clock_);
    parts->open = std::make_unique<http::OpenApi>(
        *parts->database, store, clock_, *parts->hub, *parts->game_tickets,
        http::OpenApi::Options{.open_id_key = open_id_key(parts->token_secret),
                               .guard = parts->open_guard.get(),
                               .wss_links = config_.open_wss_links,
                               .code_max_age_ms = config_.open_code_max_age_h * 3'600'000});
    parts->open_security = std::make_unique<http::OpenSecurityApi>(*parts->open_guard);
    parts->api = std::make_unique<http::Api>(*parts->services, *parts->sessions, *parts->directory,
                                             parts->store_pool.get_executor(), parts->caps.get());
    parts->router = std::make_unique<http::Router>([services = parts->services.get()](std::string_view token) {
        return gateway::sender_from_token(*services, token);
    });
    parts->router->add(parts->api->routes());
    parts->router->add(parts->economy->routes());
    parts->router->add(parts->payments->routes());
    parts->router->add(parts->operators->routes());
    parts->router->add(parts->accounts->routes());
    parts->router->add(parts->open->routes());
    // The open platform's developers, apps and review (/api/v1/open), on the same store thread.
    parts->developers = std::make_unique<http::DeveloperApi>(*parts->database, store, clock_, *parts->hub);
    parts->router->add(parts->developers->routes());
    // Interactive gifts: the approved ones join the catalogue now, and again after every review.
    parts->gifts = std::make_unique<http::OpenGiftApi>(*parts->database, store, clock_,
                                                       parts->developers->change_rate(), *parts->catalogue);
    parts->gifts->refresh_catalogue();
    parts->developers->on_app_changed([gifts = parts->gifts.get()] { gifts->refresh_catalogue(); });
    parts->router->add(parts->gifts->routes());
    parts->assets = std::make_unique<http::AssetApi>(*parts->database, store, clock_, assets_directory(config_),
                                                     parts->asset_shelf);
    parts->assets->load();
    parts->router->add(parts->assets->routes());
    parts->pages = std::make_unique<http::WebPages>(config_.web_dir);
    parts->pages->load();
    for (auto& file : demo_gift_art()) {
        parts->gift_art.put(std::move(file.name), std::move(file.media_type), std::move(file.bytes));
    }
    parts->router->add(parts->open_security->routes());
    parts->feedback = std::make_unique<http::FeedbackApi>(*parts->database, store, clock_);
    parts->router->add(parts->feedback->routes());
    parts->ledger_checks = std::make_unique<http::LedgerApi>(*parts->ledger, store, clock_);
    parts->router->add(parts->ledger_checks->routes());
    if (config_.demo) {
        // Log-in for the demo's pages, from this machine only (http/demo_api.h).
        parts->demo = std::make_unique<http::DemoApi>(config_.users, parts->token_secret, config_.token_ttl_s, clock_);
        parts->router->add(parts->demo->routes());
    }
    parts->identity_codes = std::make_unique<http::IdentityCodeApi>(*parts->database, store, clock_, *parts->hub);
    parts->router->add(parts->identity_codes->routes());
    parts->moderation = std::make_unique<http::ModerationApi>(*parts->database, store, clock_, *parts->hub,
                                                              parts->global_bans, parts->global_words);
    parts->router->add(parts->moderation->routes());
    parts->hooks =
        std::make_unique<http::HookApi>(config_.lua_script, config_.hub.lua_options, parts->lua, *parts->hub);
    parts->router->add(parts->hooks->routes());
    parts->bots = std::make_unique<http::BotApi>(*parts->database, store, clock_, *parts->hub);
    parts->router->add(parts->bots->routes());
    parts->app_shares = std::make_unique<http::AppShareApi>(*parts->database, store, clock_, *parts->ledger);
    parts->router->add(parts->app_shares->routes());
    parts->api->add_metrics(
        [security = parts->open_security.get()](std::string& out) { security->append_metrics(out); });
    parts->app_revenue = std::make_unique<http::AppRevenueMetrics>(*parts->ledger, store);
    parts->api->add_metrics([revenue = parts->app_revenue.get()](std::string& out) { revenue->append_metrics(out); });
    parts->api->add_metrics([open = parts->open.get()](std::string& out) { open->append_metrics(out); });

    auto* sessions = parts->sessions.get();
    auto streams = [sessions](std::unique_ptr<net::PacketStream> stream, std::size_t loop) {
        sessions->accept(std::move(stream), loop);
    };
    auto* router = parts->router.get();
    auto http_options = listener_options(config_, config_.http_port, *parts->caps);
    http_options.http_body_bytes_max_of =
        [services = parts->services.get(), otherwise = http_options.http_body_bytes_max](
            std::string_view method, std::string_view target, std::string_view authorization) {
            return body_bytes_max_of(*services, otherwise, method, target, authorization);
        };
    parts->http = std::make_unique<net::HttpListener>(
        *parts->loops, std::move(http_options),
        [answerers =
             HttpAnswerers{
                 .router = *router, .assets = *parts->assets, .gift_art = parts->gift_art, .pages = *parts->pages}](
            net::HttpRequest request) { return answer_http(answerers, std::move(request)); },
        streams);
    auto tcp_options = listener_options(config_, config_.tcp_port, *parts->caps);
    tcp_options.on_pressure = [http = parts->http.get()] { http->shed_idle(); };
    parts->tcp = std::make_unique<net::TcpListener>(*parts->loops, std::move(tcp_options), streams);
    parts->hub->start();
    parts->sessions->start();
    parts->open->start();
    parts->loops->start();
    log::info("barrage: {} I/O threads, {} rooms, data in {}", threads, parts->hub->room_count(), config_.data_dir);
    log::info("HTTP (REST, WebSocket /sub, /metrics) listening on {}:{}", config_.listen_address, parts->http->port());
    log::info("TCP (packet protocol) listening on {}:{}", config_.listen_address, parts->tcp->port());
    parts_ = std::move(parts);
}

void Server::stop(Millis drain_ms) {
    if (!parts_ || parts_->stopped) {
        return;
    }
    parts_->stopped = true;
    parts_->http->stop();
    parts_->tcp->stop();
    parts_->hub->stop();
    // The hub's final flush on a room's home loop posts deliveries to the other loops; wait
    // until every loop has run it so those deliveries are queued ahead of the shutdown below.
    for (std::size_t loop = 0; loop < parts_->loops->size(); ++loop) {
        std::promise<void> flushed;
        boost::asio::post(parts_->loops->context(loop), [&flushed] { flushed.set_value(); });
        flushed.get_future().wait();
    }
    parts_->sessions->shut_down_all(*parts_->loops);
    // Wait for sessions to write what they hold and close; a bounded wait on the main thread.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_ms);
    while (parts_->sessions->live() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // Whatever did not close in time is cut off now, while the loops still run, so that no
    // session is torn down with them (it would leave a hub that is already gone).
    parts_->sessions->abort_all(*parts_->loops, 5000);
    parts_->sessions->stop();
    parts_->open->stop();  // its sweep would keep the store pool busy for ever
    parts_->loops->stop();
    parts_->store_pool.join();
    parts_->ledger->stop();
    log::info("barrage: stopped");
}

std::vector<std::string> Server::endpoints() const {
    std::vector<std::string> out;
    for (const auto& endpoint : parts_->router->endpoints()) {
        out.push_back(endpoint.method + " " + endpoint.pattern);
    }
    return out;
}

std::uint16_t Server::http_port() const {
    return parts_->http->port();
}
std::uint16_t Server::tcp_port() const {
    return parts_->tcp->port();
}
const std::string& Server::token_secret() const {
    return parts_->token_secret;
}

}  // namespace barrage::app
