#include "loadgen/http_response_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace barrage::loadgen {
namespace {

struct Seen {
    unsigned status;
    std::string body;
    bool close;
};

// Feeds `pieces` one after another and collects every answer.
std::vector<Seen> feed_all(HttpResponseParser& parser, const std::vector<std::string>& pieces) {
    std::vector<Seen> seen;
    for (const auto& piece : pieces) {
        const auto fed = parser.feed(piece, [&](const HttpAnswer& answer) {
            seen.push_back({answer.status, std::string(answer.body), answer.close});
        });
        EXPECT_TRUE(fed) << piece;
    }
    return seen;
}

std::string answer(unsigned status, std::string_view body, std::string_view extra = {}) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" + std::string(extra) +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

TEST(HttpResponseParser, PipelinedAnswersInOneReadComeOutInOrder) {
    HttpResponseParser parser;
    const auto seen = feed_all(parser, {answer(200, R"({"code":0})") + answer(200, "{}") + answer(429, "slow")});
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].status, 200u);
    EXPECT_EQ(seen[0].body, R"({"code":0})");
    EXPECT_EQ(seen[1].body, "{}");
    EXPECT_EQ(seen[2].status, 429u);
    EXPECT_EQ(seen[2].body, "slow");
    EXPECT_FALSE(seen[2].close);
    EXPECT_EQ(parser.pending_bytes(), 0u);
}

TEST(HttpResponseParser, AnswerSplitAcrossReadsAtEveryByte) {
    const std::string bytes = answer(200, "hello") + answer(403, R"({"code":2003})");
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        HttpResponseParser parser;
        const auto seen = feed_all(parser, {bytes.substr(0, cut), bytes.substr(cut)});
        ASSERT_EQ(seen.size(), 2u) << cut;
        EXPECT_EQ(seen[0].body, "hello");
        EXPECT_EQ(seen[1].status, 403u);
        EXPECT_EQ(seen[1].body, R"({"code":2003})");
    }
}

TEST(HttpResponseParser, WaitsForTheWholeContentLength) {
    HttpResponseParser parser;
    EXPECT_TRUE(feed_all(parser, {"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n01234"}).empty());
    EXPECT_GT(parser.pending_bytes(), 0u);
    const auto seen = feed_all(parser, {"56789HTTP/1.1 2"});
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].body, "0123456789");
    EXPECT_EQ(parser.pending_bytes(), std::string("HTTP/1.1 2").size());
}

TEST(HttpResponseParser, NonOkStatusesAndBodilessAnswers) {
    HttpResponseParser parser;
    const auto seen = feed_all(parser, {"HTTP/1.1 100 Continue\r\n\r\n" + answer(503, "busy") +
                                        "HTTP/1.1 204 No Content\r\n\r\n" + answer(500, "")});
    ASSERT_EQ(seen.size(), 3u);  // the interim 100 is skipped
    EXPECT_EQ(seen[0].status, 503u);
    EXPECT_EQ(seen[1].status, 204u);
    EXPECT_EQ(seen[1].body, "");
    EXPECT_EQ(seen[2].status, 500u);
}

TEST(HttpResponseParser, ConnectionCloseAndHttp10EndTheConnection) {
    HttpResponseParser parser;
    const auto seen =
        feed_all(parser, {answer(200, "a", "Connection: Close\r\n"), "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
                          "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"});
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_TRUE(seen[0].close);
    EXPECT_TRUE(seen[1].close);
    EXPECT_FALSE(seen[2].close);
}

TEST(HttpResponseParser, RefusesWhatItCannotFrame) {
    const auto refused = [](std::string bytes) {
        HttpResponseParser parser;
        return !parser.feed(bytes, [](const HttpAnswer&) {});
    };
    EXPECT_TRUE(refused("SSH-2.0-OpenSSH\r\n\r\n"));
    EXPECT_TRUE(refused("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n"));
    EXPECT_TRUE(refused("HTTP/1.1 200 OK\r\n\r\n"));  // no length: the body would end at close
    EXPECT_TRUE(refused("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
    EXPECT_TRUE(refused("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"));
    EXPECT_TRUE(refused("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"));
    EXPECT_TRUE(refused("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n"));  // over kBodyBytesMax
    EXPECT_TRUE(refused("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"));
    EXPECT_TRUE(refused(std::string(HttpResponseParser::kHeadBytesMax + 1, 'x')));
    EXPECT_FALSE(refused(std::string(HttpResponseParser::kHeadBytesMax, 'x')));  // could still end
}

TEST(HttpResponseParser, AnErrorKeepsTheAnswersBeforeIt) {
    HttpResponseParser parser;
    std::vector<unsigned> statuses;
    const auto fed = parser.feed(answer(200, "ok") + "garbage\r\n\r\n",
                                 [&](const HttpAnswer& answer) { statuses.push_back(answer.status); });
    EXPECT_FALSE(fed);
    EXPECT_EQ(statuses, std::vector<unsigned>{200});
}

}  // namespace
}  // namespace barrage::loadgen
