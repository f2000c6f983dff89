#include "http/bot_api.h"

#include <memory>
#include <optional>
#include <utility>

#include <boost/json.hpp>

#include "bot/bot_rules.h"
#include "bot/room_bots.h"
#include "http/responses.h"
#include "moderation/authority.h"
#include "net/run_on.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object counters_json(const bot::BotCounters& counters) {
    return json::object{{"welcomes", counters.welcomes},
                        {"welcomes_skipped", counters.welcomes_skipped},
                        {"replies", counters.replies},
                        {"replies_cooling", counters.replies_cooling},
                        {"announcements", counters.announcements},
                        {"announcements_offline", counters.announcements_offline}};
}

json::value rules_or_null(const std::shared_ptr<const bot::BotRules>& rules) {
    return rules ? json::value(bot::bot_rules_json(*rules)) : json::value(nullptr);
}

}  // namespace

BotApi::BotApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock, gateway::Hub& hub)
    : store_(database),
      compiles_({.per_second = 1.0 / 10, .burst = 3, .keys_max = 100'000}, clock),
      store_executor_(std::move(store_executor)),
      clock_(clock),
      hub_(hub) {}

std::vector<Route> BotApi::routes() {
    return {
        {"GET", "/api/v1/rooms/{room}/bots", Access::user, [this](const Call& call) { return show(call); }},
        {"PUT", "/api/v1/rooms/{room}/bots", Access::user, [this](const Call& call) { return replace(call); }},
    };
}

asio::awaitable<net::HttpResponse> BotApi::show(const Call& call) {
    const message::Sender who = call.who();
    auto answer = std::make_shared<json::object>();
    auto read = [who, answer](room::Room& r, moderation::RoomModeration&,
                              Millis) -> Result<std::optional<message::Moderation>> {
        if (auto allowed = moderation::may_use(r.effective_role(who.uid, who.role), moderation::Power::moderate);
            !allowed) {
            return allowed.error();
        }
        const auto* bots = bot::RoomBots::find(r);
        (*answer)["rules"] = bots != nullptr ? rules_or_null(bots->rules()) : json::value(nullptr);
        (*answer)["counters"] = counters_json(bots != nullptr ? bots->counters() : bot::BotCounters{});
        return std::nullopt;
    };
    auto pending = hub_.moderate(RoomId{call.parameter(0)}, who, std::move(read));
    if (auto done = co_await std::move(pending); !done) {
        co_return fail(done.error());
    }
    co_return ok(std::move(*answer));
}

asio::awaitable<net::HttpResponse> BotApi::replace(const Call& call) {
    const RoomId room{call.parameter(0)};
    const message::Sender who = call.who();
    auto role = std::make_shared<message::Role>(message::Role::viewer);
    // A cheap permission check first: compiling rules is not for anyone to trigger.
    auto check = [who, role](room::Room& r, moderation::RoomModeration&,
                             Millis) -> Result<std::optional<message::Moderation>> {
        *role = r.effective_role(who.uid, who.role);
        if (auto allowed = moderation::may_use(*role, moderation::Power::moderate); !allowed) {
            return allowed.error();
        }
        return std::nullopt;
    };
    auto checking = hub_.moderate(room, who, std::move(check));
    if (auto checked = co_await std::move(checking); !checked) {
        co_return fail(checked.error());
    }
    auto compile = [this, caller = who.uid, body = call.request.body]() -> std::optional<bot::RulesResult> {
        if (!compiles_.allow(caller.value)) {
            return std::nullopt;
        }
        return bot::parse_bot_rules(body);
    };
    auto compiling = net::run_on(store_executor_, std::move(compile));
    auto attempted = co_await std::move(compiling);
    if (!attempted) {
        co_return fail(make_error_code(Errc::rate_limited),
                       "bot rules are replaced 3 times at once, then once per 10 s");
    }
    if (!*attempted) {
        const auto& error = attempted->error();
        co_return net::HttpResponse{
            400, "application/json",
            json::serialize(
                json::object{{"code", static_cast<int>(Errc::bad_request)},
                             {"message", error.field.empty() ? error.message : error.field + ": " + error.message},
                             {"data", json::object{{"field", error.field}, {"error", error.message}}}})};
    }
    auto rules = **attempted;
    auto set = [this, who, rules](room::Room& r, moderation::RoomModeration&,
                                  Millis) -> Result<std::optional<message::Moderation>> {
        // Asked again: the caller may have lost the room's managers while the rules compiled.
        if (auto allowed = moderation::may_use(r.effective_role(who.uid, who.role), moderation::Power::moderate);
            !allowed) {
            return allowed.error();
        }
        bot::RoomBots::of(r).set_rules(rules, clock_.steady_ms(), clock_.wall_ms());
        return std::nullopt;
    };
    auto setting = hub_.moderate(room, who, std::move(set));
    if (auto done = co_await std::move(setting); !done) {
        co_return fail(done.error());
    }
    auto canonical = bot::bot_rules_json(*rules);
    store::ModerationChange change;
    change.put_bots = store::BotRulesRecord{room, json::serialize(canonical)};
    const store::AuditEntry line{
        .room = room,
        .actor = who.uid,
        .actor_role = *role,
        .action = "bots_set",
        .detail = json::serialize(json::object{{"welcome", rules->welcome.has_value()},
                                               {"replies", rules->replies.size()},
                                               {"announcements", rules->announcements.size()}}),
        .at_ms = clock_.wall_ms(),
    };
    auto write = [this, change = std::move(change), line]() -> Status {
        auto written = store_.record(change, line);
        return written ? Status{} : Status{written.error()};
    };
    auto writing = net::run_on(store_executor_, std::move(write));
    if (auto written = co_await std::move(writing); !written) {
        co_return fail(written.error(), "the rules took effect but were not stored");
    }
    co_return ok(json::object{{"rules", rules->empty() ? json::value(nullptr) : json::value(std::move(canonical))}});
}

}  // namespace barrage::http
