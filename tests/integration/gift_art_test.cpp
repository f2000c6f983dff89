// The gift catalogue's art is real and served: every icon_url and effect_url that
// GET /api/v1/gifts names answers 200 with an image whose magic bytes match its Content-Type,
// and each animated gift's effect is an animated PNG. Other names under /gifts/ are 404.

#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "asset/image_header.h"
#include "support/raw_http.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

RawHttpAnswer request(const TestServer& server, std::string_view target, std::string_view method = "GET") {
    return raw_http(server.http_port(), fmt::format("{} {} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: "
                                                    "close\r\n\r\n",
                                                    method, target));
}

// The image at `url`, checked to be served as one.
RawHttpAnswer expect_image(const TestServer& server, const std::string& url) {
    auto answer = request(server, url);
    EXPECT_EQ(answer.status, 200U) << url << "\n" << answer.head;
    auto header = asset::read_image_header(answer.body);
    EXPECT_TRUE(header.has_value()) << url << " is not an image";
    if (header) {
        EXPECT_EQ(answer.header("Content-Type"), asset::media_type(header->type)) << url;
    }
    EXPECT_EQ(answer.header("X-Content-Type-Options"), "nosniff") << url;
    EXPECT_NE(answer.header("Cache-Control").find("max-age="), std::string::npos) << url << "\n" << answer.head;
    return answer;
}

TEST(GiftArt, EveryIconAndEffectInTheCatalogueIsAServedImage) {
    TestServer server;
    const auto listed = server.get("/api/v1/gifts").json().at("data").as_array();
    ASSERT_GE(listed.size(), 6U);
    std::size_t effects = 0;
    for (const auto& entry : listed) {
        const auto& gift = entry.as_object();
        SCOPED_TRACE(boost::json::serialize(gift));
        const std::string icon(gift.at("icon_url").as_string());
        ASSERT_FALSE(icon.empty());
        expect_image(server, icon);
        const std::string effect(gift.at("effect_url").as_string());
        EXPECT_EQ(effect.empty(), !gift.at("animated").as_bool());
        if (!effect.empty()) {
            ++effects;
            auto played = expect_image(server, effect);
            EXPECT_NE(played.body.find("acTL"), std::string::npos) << effect << " is not animated";
        }
    }
    EXPECT_EQ(effects, 2U);
}

TEST(GiftArt, OnlyTheDrawnNamesAndOnlyGetAndHead) {
    TestServer server;
    expect_image(server, "/gifts/heart.png?v=1");
    EXPECT_EQ(request(server, "/gifts/heart.png", "HEAD").status, 200U);
    EXPECT_EQ(request(server, "/gifts/heart.png", "POST").status, 405U);
    for (const auto* target : {"/gifts/", "/gifts/nothing.png", "/gifts/../api/v1/gifts", "/gifts/%2e%2e/barrage.db",
                               "/gifts/heart.png/", "/gifts//heart.png", "/gifts/HEART.PNG"}) {
        EXPECT_EQ(request(server, target).status, 404U) << target;
    }
}

}  // namespace
}  // namespace barrage::test
