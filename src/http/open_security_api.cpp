#include "http/open_security_api.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "http/responses.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object ban_json(const open::AbuseGuard::ListedBan& ban) {
    return {{"id", ban.id},        {"kind", open::name_of(ban.kind)}, {"key", ban.key},
            {"level", ban.level},  {"since_ms", ban.since_wall_ms},   {"until_ms", ban.until_wall_ms},
            {"reason", ban.reason}};
}

}  // namespace

std::vector<Route> OpenSecurityApi::routes() {
    return {
        {"GET", "/api/v1/admin/open/bans", Access::admin, [this](const Call& call) { return list(call); }},
        {"DELETE", "/api/v1/admin/open/bans/{id}", Access::admin, [this](const Call& call) { return lift(call); }},
    };
}

asio::awaitable<net::HttpResponse> OpenSecurityApi::list(const Call&) {
    json::array bans;
    for (const auto& ban : guard_.bans()) {
        bans.push_back(ban_json(ban));
    }
    co_return ok(json::object{{"bans", std::move(bans)}});
}

asio::awaitable<net::HttpResponse> OpenSecurityApi::lift(const Call& call) {
    auto lifted = guard_.lift(call.parameter(0));
    if (!lifted) {
        co_return fail(make_error_code(Errc::not_found), "no running ban has that id");
    }
    log::info("open security: admin {} lifted ban {} ({} {}, level {})", call.who().uid.value, lifted->id,
              open::name_of(lifted->kind), lifted->key, lifted->level);
    co_return ok(ban_json(*lifted));
}

void OpenSecurityApi::append_metrics(std::string& out) const {
    const auto counters = guard_.counters();
    out +=
        "# HELP barrage_open_refused_total Signed open-platform calls refused with 4009, by limit and cause "
        "(limit: over it, a ban starts; ban: during one; full: the limiter could track no more keys).\n"
        "# TYPE barrage_open_refused_total counter\n";
    for (std::size_t kind = 0; kind < open::kLimitKinds.size(); ++kind) {
        for (std::size_t cause = 0; cause < open::kRefusalCauses.size(); ++cause) {
            out += fmt::format("barrage_open_refused_total{{kind=\"{}\",cause=\"{}\"}} {}\n",
                               open::name_of(open::kLimitKinds[kind]), open::name_of(open::kRefusalCauses[cause]),
                               counters.refused[kind][cause]);
        }
    }
    out +=
        "# HELP barrage_open_bans_issued_total Open-platform bans issued, by limit.\n"
        "# TYPE barrage_open_bans_issued_total counter\n";
    for (std::size_t kind = 0; kind < open::kLimitKinds.size(); ++kind) {
        out += fmt::format("barrage_open_bans_issued_total{{kind=\"{}\"}} {}\n", open::name_of(open::kLimitKinds[kind]),
                           counters.bans_issued[kind]);
    }
    out +=
        "# HELP barrage_open_bans_active Open-platform bans running now, by limit.\n"
        "# TYPE barrage_open_bans_active gauge\n";
    for (std::size_t kind = 0; kind < open::kLimitKinds.size(); ++kind) {
        out += fmt::format("barrage_open_bans_active{{kind=\"{}\"}} {}\n", open::name_of(open::kLimitKinds[kind]),
                           counters.bans_active[kind]);
    }
}

}  // namespace barrage::http
