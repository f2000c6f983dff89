#pragma once

#include <cstdint>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "http/router.h"
#include "net/listeners.h"
#include "purchase/catalogue_shelf.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/gift_assets.h"
#include "store/open_apps.h"
#include "store/open_developers.h"
#include "store/open_gifts.h"

namespace barrage::http {

// The open platform's interactive gifts under /api/v1/open/apps/{app}/gifts
// (docs/open-platform.md, "Interactive gifts"): a developer makes gifts for their own app with
// art from the asset library and submits them; an operator approves or rejects each with a
// reason, as apps are reviewed (the same statuses, steps, audit log and refusals:
// http/developer_access.h). The catalogue then sells every approved gift of an approved app:
// after each review or edit the interactive half of the catalogue is read again and published
// (purchase::CatalogueShelf), at once and without a restart.
//
// Gifts are named by their catalogue id (economy::kInteractiveGiftIdMin and up) in paths and
// answers, the id viewers send and games receive. A gift of another app, or another developer's
// app, is Errc::unknown_gift / Errc::unknown_app as if it did not exist.
//
// Thread rule: bodies are parsed on the request's loop; everything else runs on the one-thread
// store pool, the owner of the stores and of `writes` (DeveloperApi::change_rate).
class OpenGiftApi {
public:
    OpenGiftApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
                security::KeyedRateLimiter<std::uint64_t>& writes, purchase::CatalogueShelf& shelf);

    std::vector<Route> routes();

    // Reads the approved interactive gifts and publishes them with the operator's catalogue.
    // The store pool, or start-up before it runs; failures are logged and leave the catalogue.
    void refresh_catalogue();

private:
    boost::asio::awaitable<net::HttpResponse> list(const Call& call);
    boost::asio::awaitable<net::HttpResponse> create(const Call& call);
    boost::asio::awaitable<net::HttpResponse> edit(const Call& call);
    boost::asio::awaitable<net::HttpResponse> submit(const Call& call);
    boost::asio::awaitable<net::HttpResponse> review(const Call& call);
    boost::asio::awaitable<net::HttpResponse> review_queue(const Call& call);

    store::OpenApps apps_;              // store pool only
    store::OpenDevelopers developers_;  // store pool only
    store::OpenGifts gifts_;            // store pool only
    store::GiftAssets assets_;          // store pool only (metadata; files are not read here)
    security::KeyedRateLimiter<std::uint64_t>& writes_;
    purchase::CatalogueShelf& shelf_;
    boost::asio::any_io_executor store_;
};

}  // namespace barrage::http
