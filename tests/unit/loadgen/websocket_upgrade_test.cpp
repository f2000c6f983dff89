#include "loadgen/websocket_upgrade.h"

#include <gtest/gtest.h>

#include <string>

namespace barrage::loadgen {
namespace {

TEST(WebSocketUpgrade, RequestCarriesTheUpgradeHeaders) {
    const std::string request = make_upgrade_request("127.0.0.1:8080", "/sub");
    EXPECT_TRUE(request.starts_with("GET /sub HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    EXPECT_NE(request.find("Upgrade: websocket\r\n"), std::string::npos);
    EXPECT_NE(request.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
    EXPECT_TRUE(request.ends_with("\r\n\r\n"));
}

TEST(WebSocketUpgrade, ResponseNeedsTheWholeHeadAnd101) {
    EXPECT_FALSE(parse_upgrade_response("HTTP/1.1 101 Switching Protocols\r\n").value());
    const std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    EXPECT_EQ(parse_upgrade_response(head + "\x82").value(), head.size());
    EXPECT_FALSE(parse_upgrade_response("HTTP/1.1 404 Not Found\r\n\r\n"));
    EXPECT_FALSE(parse_upgrade_response(std::string(17 * 1024, 'x')));
}

}  // namespace
}  // namespace barrage::loadgen
