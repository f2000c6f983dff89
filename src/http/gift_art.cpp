#include "http/gift_art.h"

#include <utility>

#include "base/errc.h"
#include "http/responses.h"

namespace barrage::http {

namespace {

constexpr std::string_view kGiftsPrefix = "/gifts/";

}  // namespace

void GiftArt::put(std::string name, std::string media_type, std::string bytes) {
    files_.insert_or_assign(std::move(name), File{.media_type = std::move(media_type), .bytes = std::move(bytes)});
}

bool GiftArt::serves(std::string_view target) {
    return target.starts_with(kGiftsPrefix);
}

net::HttpResponse GiftArt::serve(std::string_view method, std::string_view target) const {
    if (method != "GET" && method != "HEAD") {
        auto refused = fail(make_error_code(Errc::method_not_allowed));
        refused.headers.emplace_back("Allow", "GET, HEAD");
        return refused;
    }
    auto name = target.substr(kGiftsPrefix.size());
    name = name.substr(0, name.find_first_of("?#"));
    auto found = files_.find(name);
    if (found == files_.end()) {
        return fail(make_error_code(Errc::not_found));
    }
    net::HttpResponse response{.status = 200, .content_type = found->second.media_type, .body = found->second.bytes};
    response.headers = {{"Cache-Control", "public, max-age=86400"},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Content-Security-Policy", "default-src 'none'; sandbox"}};
    return response;
}

}  // namespace barrage::http
