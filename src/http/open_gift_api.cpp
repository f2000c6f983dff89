#include "http/open_gift_api.h"

#include <algorithm>
#include <string>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "http/developer_access.h"
#include "http/requests.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Gifts one review-queue answer lists, oldest submission first.
constexpr std::size_t kGiftReviewQueueMax = 100;

// The gift row a path's {gift} (a catalogue id) names; 0 for an id outside the interactive range.
std::int64_t gift_row_of(const Call& call) {
    const auto id = call.parameter(1);
    if (!economy::is_interactive_gift_id(id) || id > economy::kInteractiveGiftIdMax) {
        return 0;
    }
    return static_cast<std::int64_t>(id - economy::kInteractiveGiftIdMin);
}

std::string url_of(store::GiftAssets& assets, std::int64_t asset_id) {
    if (asset_id == 0) {
        return {};
    }
    auto asset = assets.find(asset_id);
    return asset ? asset->url() : std::string();
}

json::object gift_json(store::GiftAssets& assets, const store::OpenGift& gift) {
    return {{"gift_id", gift.catalogue_id()},
            {"app_id", gift.app_id},
            {"name", gift.name},
            {"price", gift.price},
            {"asset_id", gift.asset_id},
            {"effect_asset_id", gift.effect_asset_id},
            {"animated", gift.effect_asset_id != 0},
            {"comboable", gift.comboable},
            {"icon_url", url_of(assets, gift.asset_id)},
            {"effect_url", url_of(assets, gift.effect_asset_id)},
            {"status", store::to_string(gift.status)},
            {"reject_reason", gift.reject_reason},
            {"submitted_ms", gift.submitted_ms}};
}

Answer gifts_answer(store::GiftAssets& assets, const Result<std::vector<store::OpenGift>>& listed) {
    if (!listed) {
        return Refusal{listed.error(), {}};
    }
    json::array out;
    for (const auto& gift : *listed) {
        out.push_back(gift_json(assets, gift));
    }
    return json::value(std::move(out));
}

// The gift `gift_row` of `app_id`: a gift of another app is as unknown as a missing one.
Parsed<store::OpenGift> gift_of_app(store::OpenGifts& gifts, std::int64_t app_id, std::int64_t gift_row) {
    auto gift = gift_row != 0 ? gifts.find(gift_row) : std::nullopt;
    if (!gift || gift->app_id != app_id) {
        return refusal(Errc::unknown_gift);
    }
    return std::move(*gift);
}

// The draft a request describes, with what the catalogue will demand of it checked now
// (economy::validate on the spec it will become), so a gift that could never be sold is
// refused when written, not when approved.
Parsed<store::GiftDraft> draft_of(const OpenGiftRequest& request, std::int64_t app_id, std::int64_t gift_row,
                                  UserId actor) {
    economy::GiftSpec spec{.id = economy::kInteractiveGiftIdMin,
                           .name = request.name,
                           .price = request.price,
                           .animated = request.effect_asset_id != 0,
                           .icon_url = "/assets/",
                           .effect_url = request.effect_asset_id != 0 ? "/assets/" : "",
                           .comboable = request.comboable,
                           .app_id = static_cast<std::uint64_t>(app_id)};
    if (auto valid = economy::validate(spec); !valid) {
        return Refusal{valid.error(), {}};
    }
    return store::GiftDraft{.app_id = app_id,
                            .gift_id = gift_row,
                            .actor = actor,
                            .name = request.name,
                            .price = request.price,
                            .asset_id = request.asset_id,
                            .effect_asset_id = request.effect_asset_id,
                            .comboable = request.comboable};
}

Refusal store_refusal(std::error_code error) {
    if (error == Errc::gifts_limit) {
        return {error, fmt::format("at most {} gifts per app", store::kGiftsPerAppMax)};
    }
    if (error == Errc::unknown_asset) {
        return {error, "asset_id and effect_asset_id name assets of the library (GET /api/v1/open/assets)"};
    }
    return {error, {}};
}

}  // namespace

OpenGiftApi::OpenGiftApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock,
                         security::KeyedRateLimiter<std::uint64_t>& writes, purchase::CatalogueShelf& shelf)
    : apps_(database, clock),
      developers_(database, clock),
      gifts_(database, clock),
      assets_(database, clock, {}),
      writes_(writes),
      shelf_(shelf),
      store_(std::move(store_executor)) {}

std::vector<Route> OpenGiftApi::routes() {
    const auto bind = [this](auto method) {
        return [this, method](const Call& call) { return (this->*method)(call); };
    };
    return {
        {"GET", "/api/v1/open/apps/{app}/gifts", Access::user, bind(&OpenGiftApi::list)},
        {"POST", "/api/v1/open/apps/{app}/gifts", Access::user, bind(&OpenGiftApi::create)},
        {"PUT", "/api/v1/open/apps/{app}/gifts/{gift}", Access::user, bind(&OpenGiftApi::edit)},
        {"POST", "/api/v1/open/apps/{app}/gifts/{gift}/submit", Access::user, bind(&OpenGiftApi::submit)},
        {"POST", "/api/v1/open/apps/{app}/gifts/{gift}/review", Access::admin, bind(&OpenGiftApi::review)},
        {"GET", "/api/v1/open/gift-review", Access::admin, bind(&OpenGiftApi::review_queue)},
    };
}

void OpenGiftApi::refresh_catalogue() {
    auto specs = gifts_.catalogue_specs();
    if (!specs) {
        log::error("open: cannot read the interactive gifts: {}", specs.error().message());
        return;
    }
    const auto count = specs->size();
    if (auto published = shelf_.set_interactive(std::move(*specs)); !published) {
        log::error("open: cannot publish {} interactive gifts: {}", count, published.error().message());
    }
}

asio::awaitable<net::HttpResponse> OpenGiftApi::list(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call)]() -> Answer {
        auto app = visible_app(developers_, apps_, caller, app_id);
        if (!app) {
            return app.error();
        }
        return gifts_answer(assets_, gifts_.gifts_of(app_id));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> OpenGiftApi::create(const Call& call) {
    auto request = parse_open_gift_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), request = std::move(*request)]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto draft = draft_of(request, app_id, 0, caller.uid);
        if (!draft) {
            return draft.error();
        }
        auto made = gifts_.create_draft(*draft);
        if (!made) {
            return store_refusal(made.error());
        }
        log::info("open: gift {} of app {} created by developer {}", made->catalogue_id(), app_id, caller.uid.value);
        return json::value(gift_json(assets_, *made));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> OpenGiftApi::edit(const Call& call) {
    auto request = parse_open_gift_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    auto work = [this, caller = call.who(), app_id = app_id_of(call), gift_row = gift_row_of(call),
                 request = std::move(*request)]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto gift = gift_of_app(gifts_, app_id, gift_row);
        if (!gift) {
            return gift.error();
        }
        auto draft = draft_of(request, app_id, gift_row, caller.uid);
        if (!draft) {
            return draft.error();
        }
        auto edited = gifts_.edit(*draft);
        if (!edited) {
            return edited.error() == Errc::wrong_app_status
                       ? step_refusal("gift", edited.error(), store::AppStep::edit, gift->status)
                       : store_refusal(edited.error());
        }
        if (gift->status == store::AppStatus::approved) {
            refresh_catalogue();  // an edited gift is a draft again: withdrawn from sale at once
        }
        return json::value(gift_json(assets_, *edited));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> OpenGiftApi::submit(const Call& call) {
    auto work = [this, caller = call.who(), app_id = app_id_of(call), gift_row = gift_row_of(call)]() -> Answer {
        auto app = own_app_to_change(developers_, apps_, writes_, caller, app_id);
        if (!app) {
            return app.error();
        }
        auto gift = gift_of_app(gifts_, app_id, gift_row);
        if (!gift) {
            return gift.error();
        }
        auto submitted = gifts_.submit(gift_row, caller.uid);
        if (!submitted) {
            return step_refusal("gift", submitted.error(), store::AppStep::submit, gift->status);
        }
        log::info("open: gift {} of app {} submitted for review by developer {}", submitted->catalogue_id(), app_id,
                  caller.uid.value);
        return json::value(gift_json(assets_, *submitted));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> OpenGiftApi::review(const Call& call) {
    auto request = parse_review_request(call.request.body);
    if (!request) {
        co_return fail(request.error());
    }
    auto work = [this, actor = call.who().uid, app_id = app_id_of(call), gift_row = gift_row_of(call),
                 request = std::move(*request)]() -> Answer {
        if (app_id == 0 || !apps_.find(app_id)) {
            return refusal(Errc::unknown_app);
        }
        auto gift = gift_of_app(gifts_, app_id, gift_row);
        if (!gift) {
            return gift.error();
        }
        const store::GiftReview decision{
            .gift_id = gift_row, .actor = actor, .approve = request.approve, .reason = request.reason};
        auto reviewed = gifts_.review(decision);
        if (!reviewed) {
            return step_refusal("gift", reviewed.error(),
                                decision.approve ? store::AppStep::approve : store::AppStep::reject, gift->status);
        }
        refresh_catalogue();
        log::info("open: gift {} of app {} {} by uid {}: {}", reviewed->catalogue_id(), app_id,
                  decision.approve ? "approved" : "rejected", actor.value, decision.reason);
        return json::value(gift_json(assets_, *reviewed));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> OpenGiftApi::review_queue(const Call&) {
    auto work = [this]() -> Answer {
        auto queued = gifts_.review_queue(kGiftReviewQueueMax + 1);
        if (!queued) {
            return Refusal{queued.error(), {}};
        }
        const bool more = queued->size() > kGiftReviewQueueMax;
        queued->resize(std::min(queued->size(), kGiftReviewQueueMax));
        auto gifts = gifts_answer(assets_, queued);
        if (!gifts) {
            return gifts.error();
        }
        return json::value(json::object{{"gifts", std::move(*gifts)}, {"more", more}});
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

}  // namespace barrage::http
