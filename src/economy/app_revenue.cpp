#include "economy/app_revenue.h"

#include <charconv>

#include <fmt/format.h>

#include "economy/leaderboard.h"

namespace barrage::economy {

std::string app_revenue_key(std::uint64_t app) {
    return fmt::format("{}{}", kAppRevenuePrefix, app);
}

std::string app_revenue_commit_day_key(std::uint64_t app) {
    return fmt::format("{}{}:{}", kAppRevenuePrefix, app, kCommitDayMarker);
}

std::string app_revenue_day_key(std::uint64_t app, std::int32_t yyyymmdd) {
    return fmt::format("{}{}:{}", kAppRevenuePrefix, app, yyyymmdd);
}

std::string app_gross_commit_day_key(std::uint64_t app) {
    return fmt::format("app_gross:{}:{}", app, kCommitDayMarker);
}

std::string app_gross_day_key(std::uint64_t app, std::int32_t yyyymmdd) {
    return fmt::format("app_gross:{}:{}", app, yyyymmdd);
}

std::optional<std::uint64_t> parse_app_revenue_key(std::string_view key) {
    if (!key.starts_with(kAppRevenuePrefix)) {
        return std::nullopt;
    }
    key.remove_prefix(kAppRevenuePrefix.size());
    if (key.empty() || (key.size() > 1 && key.front() == '0')) {
        return std::nullopt;
    }
    std::uint64_t app = 0;
    auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), app);
    if (error != std::errc() || end != key.data() + key.size() || app == 0) {
        return std::nullopt;
    }
    return app;
}

}  // namespace barrage::economy
