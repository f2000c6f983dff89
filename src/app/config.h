#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "gateway/hub.h"
#include "hook/webhook_options.h"
#include "gateway/join_gate.h"
#include "security/connection_caps.h"
#include "gateway/services.h"
#include "message/custom_schema.h"
#include "economy/gift_catalogue.h"
#include "message/danmaku_rules.h"
#include "open/abuse_guard.h"
#include "payments/callback.h"
#include "purchase/purchase_desk.h"
#include "store/directory.h"

namespace barrage::app {

// Everything `barrage serve` can be told, with defaults. config/barrage.example.toml lists each
// option, its default and why; load_config() rejects unknown keys and bad values by name.
struct Config {
    // Set by add_demo_defaults when it added the demo room: `barrage serve` then also makes the
    // demo's open-platform app and logs its keys (never for a configured deployment).
    bool demo = false;

    // [hooks] lua_script: the operator's Lua hook file ("" for none).
    std::string lua_script;
    // [hooks] webhook_*: the operator's HTTP webhook (url "" for none).
    hook::WebhookOptions webhook;

    // [server]
    std::string listen_address = "0.0.0.0";
    std::uint16_t http_port = 8080;
    std::uint16_t tcp_port = 2243;
    std::size_t io_threads = 0;  // 0 = one per core
    std::string data_dir = "data";
    std::string log_level = "info";

    // [web] dir: the built web pages (web/dist), relative to the working directory.
    std::string web_dir = "web/dist";

    // [auth]
    std::string token_secret;  // empty = generated once and kept in the data directory
    std::int64_t token_ttl_s = 24 * 3600;

    // [connection]
    gateway::SessionOptions session;
    std::size_t packet_bytes_max = 0;            // 0 = limits default; compressed bodies inflate to at most this
    std::size_t send_buffer_bytes = 256 * 1024;  // long connections' SO_SNDBUF; 0 = the kernel's

    // [security]
    security::ConnectionCaps::Options caps;
    gateway::JoinGate::Options joins;
    Millis http_idle_timeout_ms = 30'000;
    Millis http_idle_timeout_under_pressure_ms = 1'000;

    // [rooms] and [danmaku]
    gateway::HubOptions hub;
    message::DanmakuRules danmaku;

    // [storage]
    bool sqlite_synchronous_full = true;  // rooms, users and the ledger share one file
    Millis idempotency_retention_ms = 48LL * 3600 * 1000;

    // [economy], [payments] and [[gift]]
    purchase::EconomyOptions economy;
    payments::CallbackRules payments;
    std::vector<economy::GiftSpec> gifts;

    // [open]: what /v2/app/start answers games. wss_links: the public URLs of our /sub that
    // games connect to (behind a proxy or a CDN, those); empty: the address the game called.
    std::vector<std::string> open_wss_links;
    // Identity codes are replaced after this many hours (0: only when their streamer asks).
    std::int64_t open_code_max_age_h = 0;
    // An app's share of its interactive gifts' platform part, per mille, for apps with
    // no change of their own in force (PUT /api/v1/admin/open/apps/{app}/share sets those).
    // Recorded in the database when it changes, at start-up, so settlement can recompute old
    // days whatever the configuration says now.
    std::uint32_t open_app_share_per_mille = 0;

    // [open_limits]: the open platform's security centre
    open::AbuseGuard::Options open_limits;

    // [[room]] and [[user]]: created at start if absent.
    std::vector<store::RoomRecord> rooms;
    std::vector<store::UserRecord> users;

    // [[custom_type]]
    std::vector<message::CustomType> custom_types;
};

// Reads a TOML file (or only defaults when `path` is empty). Errors name the key and the file.
// Throws std::runtime_error (start-up only).
Config load_config(const std::string& path);

// The demo room, users and gifts used when the configuration declares none.
void add_demo_defaults(Config& config);

// The SQLite file under the data directory that holds users, rooms, history and the ledger:
// the one place its name is spelled.
std::string database_path(const Config& config);

}  // namespace barrage::app
