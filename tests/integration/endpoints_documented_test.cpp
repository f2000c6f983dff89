// docs/protocol.md's endpoint table and the server's route table list the same endpoints: an
// endpoint added to one and not the other fails here.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "support/test_server.h"

namespace barrage::test {
namespace {

// Every "| `METHOD /path` |" row of the HTTP API table.
std::set<std::string> documented_endpoints() {
    std::ifstream file(BARRAGE_SOURCE_DIR "/docs/protocol.md");
    EXPECT_TRUE(file) << "docs/protocol.md not found";
    const std::regex row(R"(^\| `(GET|POST|PUT|PATCH|DELETE) (/[^`? ]*)[^`]*` \|)");
    std::set<std::string> out;
    std::string line;
    while (std::getline(file, line)) {
        std::smatch match;
        if (std::regex_search(line, match, row)) {
            out.insert(match[1].str() + " " + match[2].str());
        }
    }
    return out;
}

TEST(EndpointsDocumented, TheProtocolReferenceListsExactlyTheRouteTable) {
    TestServer server;
    const auto routes = server.server().endpoints();
    const std::set<std::string> served(routes.begin(), routes.end());
    const auto documented = documented_endpoints();
    for (const auto& endpoint : served) {
        EXPECT_TRUE(documented.contains(endpoint)) << endpoint << " is served but not in docs/protocol.md";
    }
    for (const auto& endpoint : documented) {
        EXPECT_TRUE(served.contains(endpoint)) << endpoint << " is in docs/protocol.md but not served";
    }
    EXPECT_EQ(served.size(), routes.size()) << "a route is listed twice";
}

}  // namespace
}  // namespace barrage::test
