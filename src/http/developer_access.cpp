#include "http/developer_access.h"

#include <utility>

#include <fmt/format.h>

namespace barrage::http {

Refusal refusal(Errc code, std::string detail) {
    return {make_error_code(code), std::move(detail)};
}

std::int64_t row_id_of(const Call& call, std::size_t index) {
    const auto value = call.parameter(index);
    return value <= static_cast<std::uint64_t>(INT64_MAX) ? static_cast<std::int64_t>(value) : 0;
}

std::string why_not(std::string_view thing, store::AppStep step, store::AppStatus status) {
    const auto now = store::to_string(status);
    switch (step) {
        case store::AppStep::edit:
            return fmt::format("{} {} in review cannot be edited (it is {})", thing == "app" ? "an" : "a", thing, now);
        case store::AppStep::submit:
            return fmt::format("only a draft or rejected {} can be submitted (it is {})", thing, now);
        case store::AppStep::approve:
            return fmt::format("only {} {} in review can be approved (it is {})", thing == "app" ? "an" : "a", thing,
                               now);
        case store::AppStep::reject:
            return fmt::format("only {} {} in review or approved can be rejected (it is {})",
                               thing == "app" ? "an" : "a", thing, now);
    }
    return std::string(now);
}

Refusal step_refusal(std::string_view thing, std::error_code error, store::AppStep step, store::AppStatus status) {
    if (error == Errc::wrong_app_status) {
        return {error, why_not(thing, step, status)};
    }
    return {error, {}};
}

std::optional<Refusal> not_a_developer(store::OpenDevelopers& developers, const message::Sender& caller) {
    auto developer = developers.is_developer(caller.uid);
    if (!developer) {
        return Refusal{developer.error(), {}};
    }
    if (!*developer) {
        return refusal(Errc::not_developer, fmt::format("uid {} is not a developer", caller.uid.value));
    }
    return std::nullopt;
}

std::optional<Refusal> over_write_rate(security::KeyedRateLimiter<std::uint64_t>& writes, UserId developer) {
    if (writes.allow(developer.value)) {
        return std::nullopt;
    }
    return refusal(Errc::rate_limited, "a developer makes at most 30 changes at once, then one a second");
}

Parsed<store::OpenApp> own_app(store::OpenDevelopers& developers, store::OpenApps& apps, const message::Sender& caller,
                               std::int64_t app_id) {
    if (auto refused = not_a_developer(developers, caller)) {
        return *refused;
    }
    auto app = app_id != 0 ? apps.find(app_id) : std::nullopt;
    if (!app || app->developer != caller.uid) {
        return refusal(Errc::unknown_app);
    }
    return std::move(*app);
}

Parsed<store::OpenApp> own_app_to_change(store::OpenDevelopers& developers, store::OpenApps& apps,
                                         security::KeyedRateLimiter<std::uint64_t>& writes,
                                         const message::Sender& caller, std::int64_t app_id) {
    auto app = own_app(developers, apps, caller, app_id);
    if (!app) {
        return app;
    }
    if (auto refused = over_write_rate(writes, caller.uid)) {
        return *refused;
    }
    return app;
}

Parsed<store::OpenApp> visible_app(store::OpenDevelopers& developers, store::OpenApps& apps,
                                   const message::Sender& caller, std::int64_t app_id) {
    if (caller.role < message::Role::admin) {
        return own_app(developers, apps, caller, app_id);
    }
    auto app = app_id != 0 ? apps.find(app_id) : std::nullopt;
    if (!app) {
        return refusal(Errc::unknown_app);
    }
    return std::move(*app);
}

}  // namespace barrage::http
