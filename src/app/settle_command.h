#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/config.h"
#include "economy/app_share_schedule.h"
#include "ledger/ledger_backend.h"

namespace barrage::app {

// The ledger and the apps' share schedule of a data directory, opened read-only (safe beside a
// running server), for the offline checks (`ledger verify`, `settle day`).
struct ReadOnlyLedger {
    std::unique_ptr<ledger::LedgerBackend> backend;
    std::shared_ptr<const economy::AppShareSchedule> schedule;
};
// Nullopt, with the reason on stderr, when either cannot be read.
std::optional<ReadOnlyLedger> open_read_only_ledger(const Config& config);

// "2026-12-03" -> 20261203, for a real calendar day; nullopt for anything else.
std::optional<std::int32_t> parse_iso_day(std::string_view text);

// `barrage settle day`: bills every app for one UTC day from the journal (ledger::bill_day),
// read-only and so safe beside a running server; writes app-<id>-<date>.json and .csv per app
// into `out_dir` (none when empty), and prints one JSON object on stdout: the bill, every
// discrepancy with its journal ids, and the files written. Returns 0 when the bill matches the
// journal to the coin, 1 when it does not, 2 when it could not be made.
int settle_day(const Config& config, std::string_view date, const std::string& out_dir);

}  // namespace barrage::app
