#include "http/app_share_api.h"

#include <charconv>
#include <functional>
#include <map>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "http/developer_access.h"
#include "http/requests.h"
#include "http/responses.h"
#include "ledger/limits.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::array rows_json(const std::vector<store::AppShareRow>& rows) {
    json::array out;
    for (const auto& row : rows) {
        out.push_back({{"effective_ms", row.effective_ms},
                       {"per_mille", row.per_mille},
                       {"set_by", row.set_by.value},
                       {"created_ms", row.created_ms}});
    }
    return out;
}

// The app's schedule, the default's, and what applies at `now_ms`.
Answer schedule_answer(store::AppShares& shares, std::int64_t app_id, Millis now_ms) {
    auto own = shares.changes(app_id);
    auto defaults = shares.changes(static_cast<std::int64_t>(economy::kDefaultShareApp));
    auto all = load_app_shares(shares);
    if (!own || !defaults || !all) {
        return Refusal{make_error_code(Errc::internal), {}};
    }
    const auto in_force = (*all)->at(static_cast<std::uint64_t>(app_id), now_ms);
    return json::value{{"app_id", app_id},
                       {"in_force",
                        {{"per_mille", in_force.per_mille},
                         {"effective_ms", in_force.effective_ms},
                         {"from_default", in_force.from_default}}},
                       {"changes", rows_json(*own)},
                       {"default_changes", rows_json(*defaults)}};
}

}  // namespace

Result<std::shared_ptr<const economy::AppShareSchedule>> load_app_shares(store::AppShares& shares) {
    auto rows = shares.changes(-1);
    if (!rows) {
        return rows.error();
    }
    std::vector<economy::AppShareChange> changes;
    changes.reserve(rows->size());
    for (const auto& row : *rows) {
        changes.push_back({static_cast<std::uint64_t>(row.app_id), row.effective_ms, row.per_mille});
    }
    return std::make_shared<const economy::AppShareSchedule>(changes);
}

AppShareApi::AppShareApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock,
                         ledger::Ledger& ledger)
    : shares_(database, clock),
      apps_(database, clock),
      developers_(database, clock),
      store_(std::move(store_executor)),
      clock_(clock),
      ledger_(ledger) {}

std::vector<Route> AppShareApi::routes() {
    return {
        {"PUT", "/api/v1/admin/open/apps/{app}/share", Access::admin,
         [this](const Call& call) { return schedule(call); }},
        {"GET", "/api/v1/admin/open/apps/{app}/share", Access::admin, [this](const Call& call) { return list(call); }},
        {"GET", "/api/v1/open/apps/{app}/share", Access::user, [this](const Call& call) { return own(call); }},
        {"GET", "/api/v1/open/apps/{app}/bills", Access::user, [this](const Call& call) { return bills(call); }},
    };
}

asio::awaitable<net::HttpResponse> AppShareApi::schedule(const Call& call) {
    auto body = parse_app_share_body(call.request.body);
    if (!body) {
        co_return fail(body.error());
    }
    const store::AppShareRequest request{.app_id = app_id_of(call),
                                         .per_mille = body->per_mille,
                                         .effective_ms = body->effective_ms,
                                         .actor = call.who().uid};
    auto work = [this, request]() -> Answer {
        auto scheduled = shares_.schedule(request);
        if (!scheduled) {
            if (scheduled.error() == Errc::bad_request) {
                return Refusal{scheduled.error(),
                               fmt::format("effective_ms must be between now + {} s and now + {} days, and an app "
                                           "holds at most {} changes: a share never changes in the past",
                                           store::kAppShareLeadMinMs / 1000, store::kAppShareLeadMaxMs / 86'400'000,
                                           store::kAppShareChangesMax)};
            }
            return Refusal{scheduled.error(), {}};
        }
        // Published before the answer; the row committed first, so a restart finds it too.
        auto schedule = load_app_shares(shares_);
        if (!schedule) {
            log::error("open: app {}'s share change is stored but the schedule cannot be read back: {}", request.app_id,
                       schedule.error().message());
            return Refusal{make_error_code(Errc::internal), {}};
        }
        ledger_.set_app_shares(std::move(*schedule));
        if (clock_.wall_ms() >= request.effective_ms) {
            // Only a store stalled for the whole lead time gets here; say so loudly.
            log::error("open: app {}'s share change was published after its effective time {}", request.app_id,
                       request.effective_ms);
        }
        log::info("open: app {}'s share set to {} per mille from {} by uid {}", request.app_id, request.per_mille,
                  request.effective_ms, request.actor.value);
        return schedule_answer(shares_, request.app_id, clock_.wall_ms());
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> AppShareApi::list(const Call& call) {
    auto work = [this, app_id = app_id_of(call)]() -> Answer {
        auto known = app_id > 0 ? shares_.has_app(app_id) : Result<bool>(false);
        if (!known) {
            return Refusal{known.error(), {}};
        }
        if (!*known) {
            return Refusal{make_error_code(Errc::unknown_app), {}};
        }
        return schedule_answer(shares_, app_id, clock_.wall_ms());
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> AppShareApi::own(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        return schedule_answer(shares_, app->app_id, clock_.wall_ms());
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

// The app's bill per UTC day, from the ledger's day counters (app_gross:<app>:<day> and
// app_revenue:<app>:<day>, which `barrage ledger bill` checks against the journal to the coin):
// what its interactive gifts took in, net of refunds, and the app's cut. Newest day first.
asio::awaitable<net::HttpResponse> AppShareApi::bills(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        std::map<std::int32_t, std::pair<ledger::Coins, ledger::Coins>, std::greater<>> days;  // gross, app
        for (const bool gross : {true, false}) {
            const std::string prefix =
                fmt::format("{}:{}:", gross ? "app_gross" : "app_revenue", static_cast<std::uint64_t>(app->app_id));
            auto counters = ledger_.counters(prefix, ledger::kCountersPageMax);
            if (!counters) {
                return refusal(Errc::ledger_unavailable);
            }
            for (const auto& counter : *counters) {
                const std::string_view day_text = std::string_view(counter.name).substr(prefix.size());
                std::int32_t day = 0;
                const auto [end, error] = std::from_chars(day_text.data(), day_text.data() + day_text.size(), day);
                if (error != std::errc{} || end != day_text.data() + day_text.size() || day_text.size() != 8) {
                    continue;  // the app's running total, or another key sharing the prefix
                }
                (gross ? days[day].first : days[day].second) = counter.value;
            }
        }
        json::array list;
        for (const auto& [day, coins] : days) {
            list.push_back(json::object{{"day", day}, {"gross", coins.first}, {"app_coins", coins.second}});
        }
        return json::value(json::object{{"app_id", app->app_id}, {"days", std::move(list)}});
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

}  // namespace barrage::http
