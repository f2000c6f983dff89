#include "app/settle_command.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/clock.h"
#include "http/app_share_api.h"
#include "ledger/day_bill.h"
#include "ledger/sqlite_ledger_backend.h"
#include "store/app_shares.h"

namespace barrage::app {

namespace json = boost::json;

namespace {

json::array ids_json(const std::vector<std::int64_t>& ids) {
    json::array out;
    for (auto id : ids) {
        out.push_back(id);
    }
    return out;
}

json::object app_json(const ledger::AppDayBill& bill) {
    json::array ratios;
    for (const auto& ratio : bill.ratios) {
        ratios.push_back({{"per_mille", ratio.per_mille},
                          {"effective_ms", ratio.effective_ms},
                          {"from_default", ratio.from_default},
                          {"orders", ratio.orders},
                          {"gifts", ratio.gifts},
                          {"gross_coins", ratio.gross},
                          {"app_coins", ratio.app_coins}});
    }
    return {{"app_id", bill.app},
            {"orders", bill.orders},
            {"gifts", bill.gifts},
            {"gross_coins", bill.gross},
            {"app_coins", bill.app_coins},
            {"expected_app_coins", bill.expected_app_coins},
            {"refunds", bill.refunds},
            {"refunded_gross_coins", bill.refunded_gross},
            {"refunded_app_coins", bill.refunded_app_coins},
            {"net_app_coins", bill.net_app_coins},
            {"revenue_counter", bill.revenue_counter},
            {"gross_counter", bill.gross_counter},
            {"ratios", std::move(ratios)}};
}

json::object discrepancy_json(const ledger::BillDiscrepancy& discrepancy) {
    return {{"kind", discrepancy.kind},         {"app_id", discrepancy.app},
            {"order_id", discrepancy.order_id}, {"expected", discrepancy.expected},
            {"actual", discrepancy.actual},     {"entry_ids", ids_json(discrepancy.entry_ids)}};
}

// One line per ratio applied, then the day's refunds and the total the app is owed.
std::string app_csv(const ledger::AppDayBill& bill, std::string_view date) {
    std::string out = "date,app_id,line,per_mille,effective_ms,orders,gifts,gross_coins,app_coins\n";
    for (const auto& ratio : bill.ratios) {
        out +=
            fmt::format("{},{},{},{},{},{},{},{},{}\n", date, bill.app, ratio.from_default ? "default" : "ratio",
                        ratio.per_mille, ratio.effective_ms, ratio.orders, ratio.gifts, ratio.gross, ratio.app_coins);
    }
    out += fmt::format("{},{},refunds,,,{},,{},{}\n", date, bill.app, bill.refunds, -bill.refunded_gross,
                       -bill.refunded_app_coins);
    out += fmt::format("{},{},total,,,{},{},{},{}\n", date, bill.app, bill.orders, bill.gifts,
                       bill.gross - bill.refunded_gross, bill.net_app_coins);
    return out;
}

bool write_file(const std::filesystem::path& path, std::string_view text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    return static_cast<bool>(file);
}

// Writes each app's bill; the paths written, or nullopt after the first failure (reported).
std::optional<json::array> write_bills(const ledger::DayBill& day, std::string_view date, const std::string& out_dir) {
    json::array files;
    if (out_dir.empty()) {
        return files;
    }
    std::error_code error;
    std::filesystem::create_directories(out_dir, error);
    for (const auto& bill : day.apps) {
        auto object = app_json(bill);
        object["date"] = date;
        const auto stem = std::filesystem::path(out_dir) / fmt::format("app-{}-{}", bill.app, date);
        auto json_path = stem;
        json_path += ".json";
        auto csv_path = stem;
        csv_path += ".csv";
        if (!write_file(json_path, json::serialize(object) + "\n") || !write_file(csv_path, app_csv(bill, date))) {
            std::cerr << "barrage settle day: cannot write " << stem.string() << ".*\n";
            return std::nullopt;
        }
        files.push_back(json::string(json_path.string()));
        files.push_back(json::string(csv_path.string()));
    }
    return files;
}

}  // namespace

std::optional<std::int32_t> parse_iso_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    auto parse = [&](std::size_t at, std::size_t length, int& value) {
        auto [end, error] = std::from_chars(text.data() + at, text.data() + at + length, value);
        return error == std::errc() && end == text.data() + at + length;
    };
    if (!parse(0, 4, year) || !parse(5, 2, month) || !parse(8, 2, day)) {
        return std::nullopt;
    }
    const std::int64_t yyyymmdd = std::int64_t{year} * 10000 + month * 100 + day;
    if (!is_utc_day(yyyymmdd)) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(yyyymmdd);
}

std::optional<ReadOnlyLedger> open_read_only_ledger(const Config& config) {
    const auto path = database_path(config);
    auto backend = ledger::SqliteLedgerBackend::open({path, true, true});
    if (!backend) {
        std::cerr << "cannot open " << path << ": " << backend.error().message() << "\n";
        return std::nullopt;
    }
    SystemClock clock;
    store::Database database({path, true, true});
    store::AppShares shares(database, clock);
    auto schedule = http::load_app_shares(shares);
    if (!schedule) {
        std::cerr << "cannot read the apps' shares in " << path << "\n";
        return std::nullopt;
    }
    return ReadOnlyLedger{std::move(*backend), std::move(*schedule)};
}

int settle_day(const Config& config, std::string_view date, const std::string& out_dir) {
    const auto day = parse_iso_day(date);
    if (!day) {
        std::cerr << "barrage settle day: --date must be a calendar day written YYYY-MM-DD\n";
        return 2;
    }
    auto ledger = open_read_only_ledger(config);
    if (!ledger) {
        return 2;
    }
    auto bill = ledger::bill_day(*ledger->backend, *ledger->schedule, *day);
    if (!bill) {
        std::cerr << "cannot read the ledger in " << database_path(config) << ": " << bill.error().message() << "\n";
        return 2;
    }
    auto files = write_bills(*bill, date, out_dir);
    if (!files) {
        return 2;
    }
    json::array apps;
    for (const auto& app : bill->apps) {
        apps.push_back(app_json(app));
    }
    json::array discrepancies;
    for (const auto& discrepancy : bill->discrepancies) {
        discrepancies.push_back(discrepancy_json(discrepancy));
    }
    json::object out{{"date", date},
                     {"from_ms", bill->from_ms},
                     {"to_ms", bill->to_ms},
                     {"ok", bill->ok()},
                     {"apps", std::move(apps)},
                     {"discrepancies", std::move(discrepancies)},
                     {"files", std::move(*files)}};
    std::cout << json::serialize(out) << "\n";
    return bill->ok() ? 0 : 1;
}

}  // namespace barrage::app
