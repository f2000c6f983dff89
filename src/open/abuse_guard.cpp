#include "open/abuse_guard.h"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "security/connection_caps.h"

namespace barrage::open {

namespace {

constexpr std::size_t index_of(LimitKind kind) {
    return static_cast<std::size_t>(kind);
}
constexpr std::size_t index_of(RefusalCause cause) {
    return static_cast<std::size_t>(cause);
}

// What a ban of each kind is for, in the words of its 4009 message.
std::string_view what_of(LimitKind kind) {
    switch (kind) {
        case LimitKind::app: return "calls of this app";
        case LimitKind::address: return "calls from this address";
        case LimitKind::code: return "starts with this identity code";
        case LimitKind::wrong_code_app: return "wrong identity codes from this app";
        case LimitKind::wrong_code_address: return "wrong identity codes from this address";
    }
    return "calls";
}

}  // namespace

std::string_view name_of(LimitKind kind) {
    switch (kind) {
        case LimitKind::app: return "app";
        case LimitKind::address: return "address";
        case LimitKind::code: return "code";
        case LimitKind::wrong_code_app: return "wrong_code_app";
        case LimitKind::wrong_code_address: return "wrong_code_address";
    }
    return "unknown";
}

std::string_view name_of(RefusalCause cause) {
    switch (cause) {
        case RefusalCause::limit: return "limit";
        case RefusalCause::ban: return "ban";
        case RefusalCause::full: return "full";
    }
    return "unknown";
}

std::string address_of_remote(std::string_view remote) {
    std::string_view host = remote;
    if (host.starts_with('[')) {
        host = host.substr(1, host.find(']') == std::string_view::npos ? host.npos : host.find(']') - 1);
    } else if (host.find(':') == host.rfind(':') && host.find(':') != std::string_view::npos) {
        host = host.substr(0, host.find(':'));  // "1.2.3.4:5678"
    }
    auto key = security::address_key(host);
    return key.empty() ? std::string("unknown") : key;
}

// One limit: its rate, the buckets per key, and the bans it has issued.
struct AbuseGuard::Limit {
    LimitKind kind;
    security::Rate rate;
    security::KeyedRateLimiter<std::string> limiter;
    security::EscalatingBans bans;
};

AbuseGuard::AbuseGuard(Options options, const Clock& clock) : clock_(clock) {
    // Made here and moved in under the lock: the analysis does not see a lock held by the
    // caller of a lambda.
    std::vector<std::unique_ptr<Limit>> made;
    const auto add = [&](LimitKind kind, security::Rate rate) {
        auto bans = options.bans;
        bans.keys_max = options.keys_max;
        made.push_back(std::make_unique<Limit>(Limit{
            .kind = kind,
            .rate = rate,
            .limiter = security::KeyedRateLimiter<std::string>(
                {.per_second = rate.per_second, .burst = rate.burst, .keys_max = options.keys_max}, clock),
            .bans = security::EscalatingBans(std::move(bans), clock),
        }));
    };
    add(LimitKind::app, options.app);
    add(LimitKind::address, options.address);
    add(LimitKind::code, options.code);
    add(LimitKind::wrong_code_app, options.wrong_code_app);
    add(LimitKind::wrong_code_address, options.wrong_code_address);
    MutexLock lock(mutex_);
    limits_ = std::move(made);
}

AbuseGuard::~AbuseGuard() = default;

AbuseGuard::Limit& AbuseGuard::limit(LimitKind kind) {
    return *limits_[index_of(kind)];
}

std::string AbuseGuard::until_text(Millis until_steady_ms) const {
    const Millis until_wall_ms = clock_.wall_ms() + (until_steady_ms - clock_.steady_ms());
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::sys_seconds(std::chrono::seconds(until_wall_ms / 1000)));
}

AbuseGuard::Verdict AbuseGuard::banned(LimitKind kind, const std::string& key) {
    auto& current = limit(kind);
    auto ban = current.bans.active(key);
    if (!ban) {
        return std::nullopt;
    }
    ++counters_.refused[index_of(kind)][index_of(RefusalCause::ban)];
    return Refusal{kind, RefusalCause::ban,
                   fmt::format("access limited: {} are banned until {} ({})", what_of(kind), until_text(ban->until_ms),
                               ban->reason)};
}

AbuseGuard::Verdict AbuseGuard::count(LimitKind kind, const std::string& key) {
    auto& current = limit(kind);
    using Check = security::KeyedRateLimiter<std::string>::Verdict;
    const auto verdict = current.limiter.check(key);
    if (verdict == Check::allowed) {
        return std::nullopt;
    }
    if (verdict == Check::full) {
        ++counters_.refused[index_of(kind)][index_of(RefusalCause::full)];
        return Refusal{
            kind, RefusalCause::full,
            fmt::format("access limited: too many callers are limited at once ({}); try again later", name_of(kind))};
    }
    ++counters_.refused[index_of(kind)][index_of(RefusalCause::limit)];
    auto reason = fmt::format("over {:g}/s, burst {:g}", current.rate.per_second, current.rate.burst);
    auto ban = current.bans.ban(key, reason);
    if (!ban) {
        return Refusal{kind, RefusalCause::limit, fmt::format("access limited: {} are {}", what_of(kind), reason)};
    }
    ++counters_.bans_issued[index_of(kind)];
    return Refusal{kind, RefusalCause::limit,
                   fmt::format("access limited: {} are banned until {} ({}, ban {} in a row)", what_of(kind),
                               until_text(ban->until_ms), reason, ban->level)};
}

AbuseGuard::Verdict AbuseGuard::admit_address(const std::string& address) {
    MutexLock lock(mutex_);
    if (auto refused = banned(LimitKind::address, address)) {
        return refused;
    }
    return count(LimitKind::address, address);
}

AbuseGuard::Verdict AbuseGuard::check_app_ban(const std::string& key_id) {
    MutexLock lock(mutex_);
    return banned(LimitKind::app, key_id);
}

AbuseGuard::Verdict AbuseGuard::admit_app(const std::string& key_id) {
    MutexLock lock(mutex_);
    return count(LimitKind::app, key_id);
}

AbuseGuard::Verdict AbuseGuard::check_start(const std::string& key_id, const std::string& address) {
    MutexLock lock(mutex_);
    if (auto refused = banned(LimitKind::wrong_code_app, key_id)) {
        return refused;
    }
    return banned(LimitKind::wrong_code_address, address);
}

AbuseGuard::Verdict AbuseGuard::wrong_code(const std::string& key_id, const std::string& address) {
    MutexLock lock(mutex_);
    // Both are counted, so that a guesser spreading codes over apps or addresses runs out in
    // each of them.
    auto by_app = count(LimitKind::wrong_code_app, key_id);
    auto by_address = count(LimitKind::wrong_code_address, address);
    return by_app ? by_app : by_address;
}

AbuseGuard::Verdict AbuseGuard::admit_code(const std::string& code) {
    MutexLock lock(mutex_);
    if (auto refused = banned(LimitKind::code, code)) {
        return refused;
    }
    return count(LimitKind::code, code);
}

AbuseGuard::ListedBan AbuseGuard::listed(LimitKind kind, const security::EscalatingBans::Ban& ban) const {
    const Millis offset_ms = clock_.wall_ms() - clock_.steady_ms();
    // Never a whole identity code: four characters tell an operator which room it is.
    std::string key = kind == LimitKind::code ? ban.key.substr(0, 4) : ban.key;
    return {.id = ban.id * kLimitKinds.size() + index_of(kind),
            .kind = kind,
            .key = std::move(key),
            .level = ban.level,
            .since_wall_ms = ban.since_ms + offset_ms,
            .until_wall_ms = ban.until_ms + offset_ms,
            .reason = ban.reason};
}

std::vector<AbuseGuard::ListedBan> AbuseGuard::bans() const {
    MutexLock lock(mutex_);
    std::vector<ListedBan> out;
    for (const auto& current : limits_) {
        for (const auto& ban : current->bans.list()) {
            out.push_back(listed(current->kind, ban));
        }
    }
    return out;
}

std::optional<AbuseGuard::ListedBan> AbuseGuard::lift(std::uint64_t id) {
    const std::size_t kind_index = id % kLimitKinds.size();
    const std::uint64_t ban_id = id / kLimitKinds.size();
    MutexLock lock(mutex_);
    auto& current = *limits_[kind_index];
    for (const auto& ban : current.bans.list()) {
        if (ban.id == ban_id) {
            auto lifted = listed(current.kind, ban);
            current.bans.lift(ban_id);
            return lifted;
        }
    }
    return std::nullopt;
}

AbuseGuard::Counters AbuseGuard::counters() const {
    MutexLock lock(mutex_);
    Counters out = counters_;
    for (const auto& current : limits_) {
        out.bans_active[index_of(current->kind)] = current->bans.active_count();
    }
    return out;
}

}  // namespace barrage::open
