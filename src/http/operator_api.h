#pragma once

#include <cstdint>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "http/router.h"
#include "ledger/ledger.h"
#include "net/listeners.h"
#include "purchase/catalogue_shelf.h"
#include "purchase/purchase_desk.h"

namespace barrage::http {

// What operators (admins) do to the economy: grant coins, refund purchases, set gifts in the
// catalogue. Every money action is audited in the journal's memo (who, why). Ledger reads run
// on the store executor, never on an I/O loop.
class OperatorApi {
public:
    // `shelf`: where a gift set here joins the catalogue (beside the open platform's).
    OperatorApi(purchase::PurchaseDesk& desk, purchase::CatalogueShelf& shelf, ledger::Ledger& ledger,
                boost::asio::any_io_executor store_executor, std::int64_t grant_coins_max);

    // This API's part of the route table.
    std::vector<Route> routes();

private:
    boost::asio::awaitable<net::HttpResponse> grant(const Call& call);
    boost::asio::awaitable<net::HttpResponse> refund(const Call& call);
    boost::asio::awaitable<net::HttpResponse> add_gift(const Call& call);

    purchase::PurchaseDesk& desk_;
    purchase::CatalogueShelf& shelf_;
    ledger::Ledger& ledger_;
    boost::asio::any_io_executor store_executor_;
    std::int64_t grant_coins_max_;
};

}  // namespace barrage::http
