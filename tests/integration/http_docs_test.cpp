// docs/protocol.md's HTTP table lists exactly the server's route table: every route, with the
// same method and pattern text, and nothing the server does not serve.

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/test_server.h"

namespace barrage::test {
namespace {

// "METHOD /pattern" of every row of the HTTP API table: rows whose first cell is `METHOD /...`.
std::set<std::string> documented_routes() {
    std::ifstream file(BARRAGE_PROTOCOL_DOC);
    EXPECT_TRUE(file) << "cannot read " << BARRAGE_PROTOCOL_DOC;
    std::set<std::string> routes;
    std::string line;
    bool in_api = false;
    while (std::getline(file, line)) {
        if (line.starts_with("## ")) {
            in_api = line == "## HTTP API";
        }
        if (!in_api || !line.starts_with("| `")) {
            continue;
        }
        auto cell = line.substr(3, line.find('`', 3) - 3);
        if (cell.find(" /") != std::string::npos) {
            routes.insert(cell);
        }
    }
    return routes;
}

TEST(HttpDocs, TheProtocolTableListsExactlyTheRouteTable) {
    TestServer server;
    auto served = server.server().http_routes();
    std::set<std::string> routes(served.begin(), served.end());
    EXPECT_EQ(routes.size(), served.size()) << "a route twice in the table";
    auto documented = documented_routes();
    for (const auto& route : routes) {
        EXPECT_TRUE(documented.contains(route)) << route << " is served but not in docs/protocol.md";
    }
    for (const auto& route : documented) {
        EXPECT_TRUE(routes.contains(route)) << route << " is in docs/protocol.md but not served";
    }
    EXPECT_TRUE(documented.contains("GET /api/v1/earnings"));
}

}  // namespace
}  // namespace barrage::test
