#pragma once

// Names of the counters that keep each app's revenue from interactive gifts, bumped by the
// ledger in the same transaction as the legs they count (docs/ledger.md, "Counters"):
//
//   key                                   value
//   ------------------------------------  -----------------------------------------------------
//   app_revenue:<app>                     coins credited to app:<app> by gift_app_share legs,
//                                         less those refunds took back: all time
//   app_revenue:<app>:<yyyymmdd>          the same, of orders committed that UTC day (a refund
//                                         counts on the day it commits, so a past day's bill
//                                         never changes)
//   app_gross:<app>:<yyyymmdd>            total price of the app's interactive gifts that day,
//                                         less refunds committed that day
//
// The running total must equal the journal's credits to the app's account (`ledger verify`
// checks it); a day's counter must equal that day's bill (`settle day` checks it).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace barrage::economy {

std::string app_revenue_key(std::uint64_t app);
// With the ledger's commit-day marker: for an order's bumps only.
std::string app_revenue_commit_day_key(std::uint64_t app);
std::string app_revenue_day_key(std::uint64_t app, std::int32_t yyyymmdd);
std::string app_gross_commit_day_key(std::uint64_t app);
std::string app_gross_day_key(std::uint64_t app, std::int32_t yyyymmdd);

// Every running total's name starts with this; so do the per-day ones, which have a second ':'.
inline constexpr std::string_view kAppRevenuePrefix = "app_revenue:";
// The app of a running total's name ("app_revenue:7" -> 7); nullopt for a per-day name or any
// other.
std::optional<std::uint64_t> parse_app_revenue_key(std::string_view key);

}  // namespace barrage::economy
