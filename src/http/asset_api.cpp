#include "http/asset_api.h"

#include <memory>
#include <string>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "http/developer_access.h"
#include "http/responses.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view kAssetsPrefix = "/assets/";

json::object asset_json(const store::GiftAsset& asset) {
    return {{"asset_id", asset.asset_id},
            {"name", asset.name},
            {"url", asset.url()},
            {"sha256", asset.sha256},
            {"media_type", asset::media_type(asset.type)},
            {"bytes", asset.bytes},
            {"width", asset.width},
            {"height", asset.height},
            {"created_ms", asset.created_ms}};
}

// Why an upload was refused, in words an operator can act on.
Refusal upload_refusal(std::error_code error, std::string_view bytes) {
    switch (static_cast<Errc>(error.value())) {
        case Errc::bad_request:
            return {error, fmt::format("name (the query parameter) must be 1 to {} bytes of UTF-8",
                                       store::kAssetNameBytesMax)};
        case Errc::asset_too_large: return {error, fmt::format("at most {} bytes", store::kAssetBytesMax)};
        case Errc::bad_asset_type:
            if (asset::looks_like_markup(bytes)) {
                return {error, "SVG, HTML and other markup are refused: a document can carry script"};
            }
            return {error, "the first bytes are not those of a PNG, WebP, GIF or JPEG image"};
        case Errc::bad_asset_header: return {error, "the header stops short or states a zero width or height"};
        case Errc::asset_too_wide:
            return {error, fmt::format("at most {} × {} pixels", store::kAssetSideMax, store::kAssetSideMax)};
        case Errc::assets_limit:
            return {error, fmt::format("at most {} assets and {} MiB in all", store::kAssetsMax,
                                       store::kAssetLibraryBytesMax / (1024 * 1024))};
        default: return {error, {}};
    }
}

// Whether `name` is exactly "<64 lowercase hex>.<ext>" of a known type: the only names the
// shelf can hold. Checked before the lookup so the answer to anything else is plainly 404.
bool is_asset_file_name(std::string_view name) {
    constexpr std::size_t kHashLength = 64;
    if (name.size() < kHashLength + 2 || name[kHashLength] != '.') {
        return false;
    }
    for (std::size_t i = 0; i < kHashLength; ++i) {
        const char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return asset::type_of_extension(name.substr(kHashLength + 1)).has_value();
}

}  // namespace

AssetApi::AssetApi(store::Database& database, asio::any_io_executor store_executor, const Clock& clock,
                   std::filesystem::path directory, asset::AssetShelf& shelf)
    : assets_(database, clock, std::move(directory)),
      developers_(database, clock),
      shelf_(shelf),
      store_(std::move(store_executor)) {}

std::vector<Route> AssetApi::routes() {
    return {
        {"POST", "/api/v1/admin/assets", Access::admin, [this](const Call& call) { return upload(call); }},
        {"GET", "/api/v1/open/assets", Access::user, [this](const Call& call) { return list(call); }},
    };
}

void AssetApi::load() {
    auto listed = assets_.list();
    if (!listed) {
        log::error("asset library: cannot read: {}", listed.error().message());
        return;
    }
    for (const auto& asset : *listed) {
        auto bytes = assets_.read(asset);
        if (!bytes) {
            log::error("asset library: asset {} ({}) is missing or changed on disk; not served", asset.asset_id,
                       asset.file_name());
            continue;
        }
        shelf_.put(asset.file_name(), {.media_type = std::string(asset::media_type(asset.type)),
                                       .bytes = std::make_shared<const std::string>(std::move(*bytes))});
    }
}

bool AssetApi::serves(std::string_view target) {
    return target.starts_with(kAssetsPrefix);
}

net::HttpResponse AssetApi::serve(std::string_view method, std::string_view target) const {
    if (method != "GET" && method != "HEAD") {
        auto refused = fail(make_error_code(Errc::method_not_allowed));
        refused.headers.emplace_back("Allow", "GET, HEAD");
        return refused;
    }
    auto name = target.substr(kAssetsPrefix.size());
    name = name.substr(0, name.find_first_of("?#"));
    auto found = is_asset_file_name(name) ? shelf_.find(name) : std::nullopt;
    if (!found) {
        return fail(make_error_code(Errc::not_found));
    }
    net::HttpResponse response{.status = 200, .content_type = found->media_type, .body = *found->bytes};
    response.headers = {{"X-Content-Type-Options", "nosniff"},
                        {"Cache-Control", "public, max-age=31536000, immutable"},
                        {"ETag", fmt::format("\"{}\"", name.substr(0, 64))},
                        // Served beside the API: a browser must not run anything from here.
                        {"Content-Security-Policy", "default-src 'none'; sandbox"}};
    return response;
}

asio::awaitable<net::HttpResponse> AssetApi::upload(const Call& call) {
    store::NewAsset upload{
        .name = call.query("name").value_or(""), .bytes = call.request.body, .actor = call.who().uid};
    auto work = [this, upload = std::move(upload)]() -> Answer {
        auto added = assets_.add(upload);
        if (!added) {
            return upload_refusal(added.error(), upload.bytes);
        }
        if (added->created) {
            shelf_.put(added->asset.file_name(), {.media_type = std::string(asset::media_type(added->asset.type)),
                                                  .bytes = std::make_shared<const std::string>(upload.bytes)});
            log::info("asset library: asset {} ({}, {} bytes) uploaded by uid {}", added->asset.asset_id,
                      added->asset.file_name(), added->asset.bytes, upload.actor.value);
        }
        auto out = asset_json(added->asset);
        out["created"] = added->created;
        return json::value(std::move(out));
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

asio::awaitable<net::HttpResponse> AssetApi::list(const Call& call) {
    auto work = [this, caller = call.who()]() -> Answer {
        if (caller.role < message::Role::admin) {
            if (auto refused = not_a_developer(developers_, caller)) {
                return *refused;
            }
        }
        auto listed = assets_.list();
        if (!listed) {
            return Refusal{listed.error(), {}};
        }
        json::array out;
        for (const auto& asset : *listed) {
            out.push_back(asset_json(asset));
        }
        return json::value(json::object{{"assets", std::move(out)}});
    };
    auto answering = answer_on(store_, std::move(work));
    co_return co_await std::move(answering);
}

}  // namespace barrage::http
