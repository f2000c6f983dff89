// The feedback channel between streamers and game developers (http/feedback_api.h): a host
// reports a problem with a game in their room, the developer reads and answers, the host reads
// the answer; nobody else reads or answers, and the channel is rate limited.

#include <gtest/gtest.h>

#include "support/json_helpers.h"
#include "support/open_platform.h"
#include "support/test_server.h"

namespace barrage::test {
namespace {

std::string feedback_path(std::int64_t app) {
    return "/api/v1/open/apps/" + std::to_string(app) + "/feedback";
}

TEST(OpenFeedback, AHostReportsTheDeveloperAnswersAndTheHostReadsIt) {
    TestServer server;
    auto platform = set_up_open_platform(server);
    grant_developer(server, kDeveloper);
    const std::string host = server.token(UserId{1}, "demo-streamer", message::Role::host);
    const std::string developer = developer_token(server);

    const auto reported = server.post(feedback_path(platform.approved.app_id),
                                      R"({"room":1,"text":"the duel <b>freezes</b> after round 2"})", host);
    ASSERT_EQ(reported.status, 200u) << reported.body;
    const auto id = int_field(reported.json().at("data").as_object(), "id");

    const auto listed = server.get(feedback_path(platform.approved.app_id), developer);
    ASSERT_EQ(listed.status, 200u) << listed.body;
    const auto list_json = listed.json();
    const auto& list = list_json.at("data").at("feedback").as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list.at(0).at("text").as_string(), "the duel <b>freezes</b> after round 2");
    EXPECT_EQ(list.at(0).at("reporter").as_int64(), 1);

    const auto answer_path = feedback_path(platform.approved.app_id) + "/" + std::to_string(id) + "/answer";
    ASSERT_EQ(server.post(answer_path, R"({"text":"fixed in 1.2.1"})", developer).status, 200u);

    const auto mine = server.get("/api/v1/open/feedback", host);
    ASSERT_EQ(mine.status, 200u);
    const auto mine_json = mine.json();
    EXPECT_EQ(mine_json.at("data").at("feedback").at(0).at("answer").as_string(), "fixed in 1.2.1");
}

TEST(OpenFeedback, OnlyTheHostReportsAndOnlyTheDeveloperReadsAndAnswers) {
    TestServer server;
    auto platform = set_up_open_platform(server);
    grant_developer(server, kDeveloper);
    const std::string host = server.token(UserId{1}, "demo-streamer", message::Role::host);
    const auto path = feedback_path(platform.approved.app_id);
    // Alice does not host room 1.
    EXPECT_EQ(server.post(path, R"({"room":1,"text":"x"})", server.viewer_token()).status, 403u);
    EXPECT_EQ(server.post(path, R"({"room":1,"text":""})", host).status, 400u);
    EXPECT_EQ(server.post(path, R"({"room":1,"text":")" + std::string(1001, 'x') + "\"}", host).status, 400u);
    EXPECT_EQ(server.post("/api/v1/open/apps/999999/feedback", R"({"room":1,"text":"x"})", host).status, 404u);
    const auto reported = server.post(path, R"({"room":1,"text":"a problem"})", host);
    ASSERT_EQ(reported.status, 200u) << reported.body;
    const auto id = int_field(reported.json().at("data").as_object(), "id");
    // The host is no developer of the app: it neither lists nor answers.
    EXPECT_NE(server.get(path, host).status, 200u);
    EXPECT_NE(server.post(path + "/" + std::to_string(id) + "/answer", R"({"text":"x"})", host).status, 200u);
    // A report of another app is not answered through this one.
    EXPECT_EQ(server
                  .post(feedback_path(platform.draft.app_id) + "/" + std::to_string(id) + "/answer", R"({"text":"x"})",
                        developer_token(server))
                  .status,
              404u);
}

TEST(OpenFeedback, ReportsAreLimitedPerUser) {
    TestServer server;
    auto platform = set_up_open_platform(server);
    const std::string host = server.token(UserId{1}, "demo-streamer", message::Role::host);
    const auto path = feedback_path(platform.approved.app_id);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(server.post(path, R"({"room":1,"text":"again"})", host).status, 200u) << i;
    }
    const auto sixth = server.post(path, R"({"room":1,"text":"again"})", host);
    EXPECT_EQ(sixth.status, 429u);
    EXPECT_EQ(int_field(sixth.json(), "code"), 3002);
}

}  // namespace
}  // namespace barrage::test
