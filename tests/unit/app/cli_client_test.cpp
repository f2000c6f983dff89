#include "app/cli_client.h"

#include <gtest/gtest.h>

namespace barrage::app {
namespace {

TEST(ReplySucceeded, JudgesTheParsedCode) {
    EXPECT_TRUE(reply_succeeded(R"({"code":0,"message":"ok","data":{"seq":3}})"));
    EXPECT_TRUE(reply_succeeded(R"({ "code" : 0 })"));  // however it is spelled
    EXPECT_FALSE(reply_succeeded(R"({"code":6001,"message":"insufficient coins"})"));
    // A failure whose text holds "code":0 elsewhere is still a failure.
    EXPECT_FALSE(reply_succeeded(R"({"code":1000,"message":"bad","detail":{"code":0}})"));
    EXPECT_FALSE(reply_succeeded(R"({"code":1000,"message":"\"code\":0"})"));
    EXPECT_FALSE(reply_succeeded(R"({"message":"ok"})"));
    EXPECT_FALSE(reply_succeeded(R"({"code":"0"})"));
    EXPECT_FALSE(reply_succeeded("<html>502 Bad Gateway</html>"));
    EXPECT_FALSE(reply_succeeded(""));
}

}  // namespace
}  // namespace barrage::app
