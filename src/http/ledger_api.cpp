#include "http/ledger_api.h"

#include <boost/json.hpp>

#include "http/developer_access.h"
#include "ledger/verifier.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

std::vector<Route> LedgerApi::routes() {
    return {
        {"POST", "/api/v1/admin/ledger/verify", Access::admin, [this](const Call& call) { return verify(call); }},
        {"GET", "/api/v1/admin/ledger", Access::admin, [this](const Call& call) { return last(call); }},
    };
}

asio::awaitable<net::HttpResponse> LedgerApi::verify(const Call& /*call*/) {
    auto work = [this]() -> Answer {
        if (!runs_.allow(0)) {
            return refusal(Errc::rate_limited, "the ledger is verified at most 3 times at once, then once per 10 s");
        }
        const Millis started = clock_.steady_ms();
        auto report = ledger_.verify();
        if (!report) {
            return refusal(Errc::ledger_unavailable, report.error().message());
        }
        last_report_ = json::object{
            {"ok", report->ok()},
            {"accounts", report->accounts},
            {"journal_rows", report->journal_rows},
            {"balance_sum", report->balance_sum},
            {"balance_mismatches", report->mismatch_count},
            {"negative_balances", report->negative_count},
            {"bad_rows", report->bad_row_count},
            {"bad_accounts", report->bad_account_count},
            {"app_revenue_mismatches", report->app_revenue_mismatch_count},
            {"summary", report->summary()},
            {"at_ms", clock_.wall_ms()},
            {"took_ms", clock_.steady_ms() - started},
        };
        return json::value(*last_report_);
    };
    co_return co_await answer_on(store_, std::move(work));
}

asio::awaitable<net::HttpResponse> LedgerApi::last(const Call& /*call*/) {
    auto work = [this]() -> Answer {
        return json::value(
            json::object{{"last_verify", last_report_ ? json::value(*last_report_) : json::value(nullptr)}});
    };
    co_return co_await answer_on(store_, std::move(work));
}

}  // namespace barrage::http
