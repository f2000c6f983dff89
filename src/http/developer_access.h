#pragma once

// Who may touch an app of the open platform, shared by the developer API (apps) and the
// interactive gifts' API: the same role check, the same "another developer's app is unknown",
// the same per-developer rate of changes, and the same words for a step the review status does
// not allow. Everything here runs on the store pool, the owner of the stores it reads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "http/body.h"
#include "http/responses.h"
#include "http/router.h"
#include "net/run_on.h"
#include "security/keyed_rate_limiter.h"
#include "store/open_apps.h"
#include "store/open_developers.h"

namespace barrage::http {

// What store-pool work answers: the answer's data, or why not.
using Answer = Parsed<boost::json::value>;

Refusal refusal(Errc code, std::string detail = {});

// Runs `work` on the store pool and answers with what it returned.
template <class Work>
boost::asio::awaitable<net::HttpResponse> answer_on(boost::asio::any_io_executor store, Work work) {
    auto pending = net::run_on(std::move(store), std::move(work));
    auto answered = co_await std::move(pending);
    if (!answered) {
        co_return fail(answered.error());
    }
    co_return ok(std::move(*answered));
}

// The id of path parameter `index` as the store's (ids above INT64_MAX name nothing: 0).
std::int64_t row_id_of(const Call& call, std::size_t index);
inline std::int64_t app_id_of(const Call& call) {
    return row_id_of(call, 0);
}

// Why `step` is not allowed for a `thing` ("app", "gift") in `status`: Errc::wrong_app_status's
// detail.
std::string why_not(std::string_view thing, store::AppStep step, store::AppStatus status);
// The refusal for a failed step of a `thing` that was in `status` just before (the store pool
// is one thread: nothing changed it in between).
Refusal step_refusal(std::string_view thing, std::error_code error, store::AppStep step, store::AppStatus status);

// Errc::not_developer unless `caller` is a developer now.
std::optional<Refusal> not_a_developer(store::OpenDevelopers& developers, const message::Sender& caller);
// A developer's write, if the developer has one left (Errc::rate_limited).
std::optional<Refusal> over_write_rate(security::KeyedRateLimiter<std::uint64_t>& writes, UserId developer);
// The caller's own app. Another developer's app is as unknown as a missing one, so ids reveal
// nothing.
Parsed<store::OpenApp> own_app(store::OpenDevelopers& developers, store::OpenApps& apps, const message::Sender& caller,
                               std::int64_t app_id);
// The caller's own app, about to be changed: as own_app, then the developer's rate of changes
// (each writes an audit row). Every change a developer makes to an app (or its gifts) comes here.
Parsed<store::OpenApp> own_app_to_change(store::OpenDevelopers& developers, store::OpenApps& apps,
                                         security::KeyedRateLimiter<std::uint64_t>& writes,
                                         const message::Sender& caller, std::int64_t app_id);
// An app the caller may read: an admin any, a developer their own.
Parsed<store::OpenApp> visible_app(store::OpenDevelopers& developers, store::OpenApps& apps,
                                   const message::Sender& caller, std::int64_t app_id);

}  // namespace barrage::http
