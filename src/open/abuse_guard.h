#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/mutex.h"
#include "security/escalating_bans.h"
#include "security/keyed_rate_limiter.h"
#include "security/token_bucket.h"

namespace barrage::open {

// What a limit of the signed API counts, and what its ban holds back.
enum class LimitKind : std::uint8_t {
    app,                 // every call of one access key (after its signature verified)
    address,             // every call from one client address (IPv6: its /64), signed or not
    code,                // starts naming one (real) identity code
    wrong_code_app,      // wrong identity codes sent by one app
    wrong_code_address,  // wrong identity codes sent from one address
};
inline constexpr std::array kLimitKinds{LimitKind::app, LimitKind::address, LimitKind::code, LimitKind::wrong_code_app,
                                        LimitKind::wrong_code_address};
// "app", "address", "code", "wrong_code_app", "wrong_code_address": the label in /metrics and
// the `kind` operators see.
std::string_view name_of(LimitKind kind);

// Why a call was refused: over the limit (a ban starts), during a ban, or because the limiter
// could not track one more key (its map full of busy keys; no ban: the caller did nothing).
enum class RefusalCause : std::uint8_t { limit, ban, full };
inline constexpr std::array kRefusalCauses{RefusalCause::limit, RefusalCause::ban, RefusalCause::full};
std::string_view name_of(RefusalCause cause);

// The key a client address is counted under, from a request's "address:port" (forwarded
// behind a trusted proxy): IPv4 as is, IPv6 by its /64 (security::address_key), "unknown" for
// anything else.
std::string address_of_remote(std::string_view remote);

// The open platform's security centre: rate limits on the signed API per access key, per
// client address and per identity code, wrong identity codes per app and per address, each
// with bans that lengthen on every repeat (security::EscalatingBans). A refused call is code
// 4009 with the refusal's message, which says until when a ban runs.
//
// Rules: a banned app or address has every call refused; an app or address banned for wrong
// codes, and a banned identity code, have their starts refused (right code or wrong) while
// heartbeats and ends of running games go on, so a streamer's typing cannot end another game.
//
// Bounded: every limiter and every ban list holds at most `keys_max` keys (see
// KeyedRateLimiter and EscalatingBans for what happens when full).
//
// Thread rule: safe from any thread (one mutex, held for a few map lookups per call: the
// address check runs on the request's loop, the rest on the store pool, the listing on any).
class AbuseGuard {
public:
    struct Options {
        // A game heartbeats every 20 s and re-starts after every 7003; 50/s is far beyond any
        // honest app, and the burst covers a batch of restarts after a server restart.
        security::Rate app{50.0, 200.0};
        // Forged, unsigned and failed calls count here too, before the key lookup and the HMAC.
        // Generous for a NAT of many games.
        security::Rate address{100.0, 400.0};
        // A room runs at most a few games; restarts after 7003 are seconds apart.
        security::Rate code{2.0, 30.0};
        // A streamer mistyping: ten, then one every six seconds.
        security::Rate wrong_code_app{10.0 / 60, 10.0};
        // The same per address, a little wider for many apps behind one NAT.
        security::Rate wrong_code_address{10.0 / 60, 20.0};
        std::size_t keys_max = 100'000;  // per limiter and per ban list
        security::EscalatingBans::Options bans;
    };

    // A call refused with 4009.
    struct Refusal {
        LimitKind kind;
        RefusalCause cause;
        std::string message;
    };
    using Verdict = std::optional<Refusal>;  // nullopt: the call goes on

    // One running ban as operators see it: an identity code only by its first four characters.
    struct ListedBan {
        std::uint64_t id = 0;  // unique across kinds; DELETE .../bans/{id}
        LimitKind kind = LimitKind::app;
        std::string key;
        std::size_t level = 0;
        Millis since_wall_ms = 0;
        Millis until_wall_ms = 0;
        std::string reason;
    };

    struct Counters {
        std::array<std::array<std::uint64_t, kRefusalCauses.size()>, kLimitKinds.size()> refused{};
        std::array<std::uint64_t, kLimitKinds.size()> bans_issued{};
        std::array<std::uint64_t, kLimitKinds.size()> bans_active{};
    };

    AbuseGuard(Options options, const Clock& clock);
    ~AbuseGuard();

    // Every call, before anything else is looked at.
    Verdict admit_address(const std::string& address);
    // Before the access key is looked up: a banned app is refused without SQLite or HMAC.
    Verdict check_app_ban(const std::string& key_id);
    // After the signature verified: counts the call against its app.
    Verdict admit_app(const std::string& key_id);
    // A start, before its identity code is looked up.
    Verdict check_start(const std::string& key_id, const std::string& address);
    // A start whose code names no room: counted against the app and the address; refused
    // (4009) past either limit, else the caller answers 7007.
    Verdict wrong_code(const std::string& key_id, const std::string& address);
    // A start whose code names a room: counted against that code.
    Verdict admit_code(const std::string& code);

    std::vector<ListedBan> bans() const;
    // Ends the running ban `id` at once; the ban as it was, or nullopt when none runs with it.
    std::optional<ListedBan> lift(std::uint64_t id);
    Counters counters() const;

private:
    struct Limit;
    Limit& limit(LimitKind kind) BARRAGE_REQUIRES(mutex_);
    // Counts one event against `key` of `kind`: nullopt, or the refusal (and the ban it earned).
    Verdict count(LimitKind kind, const std::string& key) BARRAGE_REQUIRES(mutex_);
    Verdict banned(LimitKind kind, const std::string& key) BARRAGE_REQUIRES(mutex_);
    std::string until_text(Millis until_steady_ms) const;
    ListedBan listed(LimitKind kind, const security::EscalatingBans::Ban& ban) const;

    const Clock& clock_;
    mutable Mutex mutex_;
    std::vector<std::unique_ptr<Limit>> limits_ BARRAGE_GUARDED_BY(mutex_);  // by LimitKind
    Counters counters_ BARRAGE_GUARDED_BY(mutex_);
};

}  // namespace barrage::open
