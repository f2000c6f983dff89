#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "asset/asset_shelf.h"
#include "base/clock.h"
#include "http/router.h"
#include "net/listeners.h"
#include "store/database.h"
#include "store/gift_assets.h"
#include "store/open_developers.h"

namespace barrage::http {

// The official asset library (seed 004 §3.1.3, 官方素材库): operators upload images, developers
// pick their interactive gifts' art from it, and `barrage serve` serves each file at
// /assets/<sha256>.<ext> (docs/open-platform.md, "The asset library").
//
//   POST /api/v1/admin/assets?name=<name>  (admin) the raw image as the body. Raw rather than
//        JSON with base64: no third more bytes on the wire and in memory, no decoding pass, and
//        the bytes checked are the bytes stored. The type is read from the magic bytes (the
//        Content-Type header and the name are not trusted); limits in store/gift_assets.h.
//   GET  /api/v1/open/assets               (developers and admins) the library.
//
// Thread rule: the query is read on the request's loop; storing and listing run on the store
// pool; serve() runs on any loop (the shelf is safe from any thread).
class AssetApi {
public:
    // `directory`: where the files live (<data dir>/assets). `shelf`: what serve() answers from;
    // uploads are put there once stored.
    AssetApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
             std::filesystem::path directory, asset::AssetShelf& shelf);

    std::vector<Route> routes();

    // Puts every stored asset on the shelf (start-up, before serving). A file that is missing
    // or whose bytes no longer hash to its name is logged and left out, never served.
    void load();

    // The answer to a request for `target` under /assets/: the file with its media type,
    // nosniff and a year of immutable caching (the name is the content's hash: it can never
    // change), or 404 for any name that is not exactly an asset's "<sha256>.<ext>" (so no
    // traversal: names are looked up, never opened), 405 for a method other than GET or HEAD.
    net::HttpResponse serve(std::string_view method, std::string_view target) const;

    // Whether `target` is one serve() answers: the /assets/ prefix.
    static bool serves(std::string_view target);

private:
    boost::asio::awaitable<net::HttpResponse> upload(const Call& call);
    boost::asio::awaitable<net::HttpResponse> list(const Call& call);

    store::GiftAssets assets_;          // store pool only (after load())
    store::OpenDevelopers developers_;  // store pool only
    asset::AssetShelf& shelf_;
    boost::asio::any_io_executor store_;
};

}  // namespace barrage::http
