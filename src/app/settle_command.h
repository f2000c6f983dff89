#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/config.h"

namespace barrage::app {

// "2026-12-03" -> 20261203, for a real calendar day; nullopt for anything else.
std::optional<std::int32_t> parse_iso_day(std::string_view text);

// `barrage settle day`: bills every app for one UTC day from the journal (ledger::bill_day),
// read-only and so safe beside a running server; writes app-<id>-<date>.json and .csv per app
// into `out_dir` (none when empty), and prints one JSON object on stdout: the bill, every
// discrepancy with its journal ids, and the files written. Returns 0 when the bill matches the
// journal to the coin, 1 when it does not, 2 when it could not be made.
int settle_day(const Config& config, std::string_view date, const std::string& out_dir);

}  // namespace barrage::app
