#include "sandbox/upstream.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace barrage::sandbox {
namespace {

// The message of the std::invalid_argument `parse` throws, or "" when it throws none.
template <class Parse>
std::string refusal(Parse parse, std::string_view text) {
    try {
        parse(text);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "";
}

TEST(ParseUpstream, TakesHostPortAndBasePath) {
    const auto plain = parse_upstream("http://127.0.0.1:8080");
    EXPECT_EQ(plain.host, "127.0.0.1");
    EXPECT_EQ(plain.port, 8080);
    EXPECT_EQ(plain.base_path, "");
    EXPECT_EQ(plain.host_header, "127.0.0.1:8080");
    EXPECT_EQ(plain.text(), "http://127.0.0.1:8080");

    const auto named = parse_upstream("http://open.example/sandbox/v1/");
    EXPECT_EQ(named.host, "open.example");
    EXPECT_EQ(named.port, 80);
    EXPECT_EQ(named.base_path, "/sandbox/v1");  // the trailing slash goes: targets bring theirs
    EXPECT_EQ(named.host_header, "open.example");
    EXPECT_EQ(named.text(), "http://open.example:80/sandbox/v1");

    const auto v6 = parse_upstream("http://[::1]:9000/");
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.host_header, "[::1]:9000");
    EXPECT_EQ(v6.base_path, "");
    EXPECT_EQ(v6.text(), "http://[::1]:9000");
}

TEST(ParseUpstream, RefusesHttpsSayingWhatToDoInstead) {
    const auto message = refusal(parse_upstream, "https://live-open.biliapi.com");
    EXPECT_NE(message.find("https upstreams are not supported"), std::string::npos) << message;
    EXPECT_NE(message.find("http://"), std::string::npos) << message;
}

TEST(ParseUpstream, RefusesWhatIsNotAnHttpBaseUrl) {
    const auto refused = [](std::string_view url, std::string_view needle) {
        const auto message = refusal(parse_upstream, url);
        EXPECT_NE(message.find(needle), std::string::npos) << url << ": " << message;
    };
    refused("127.0.0.1:8080", "not an absolute URL");
    refused("localhost:8080", "only http://");  // "localhost" reads as a scheme
    refused("ftp://example.com", "only http://");
    refused("http:///path", "no host");
    refused("http://user:secret@example.com", "user information");
    refused("http://example.com/?debug=1", "no query or fragment");
    refused("http://example.com/#top", "no query or fragment");
    refused("http://example.com:0", "port");
    refused("http://example.com:65536", "port");
    refused("http://example.com:80a", "neither a port nor a path");
}

TEST(ParseListenAddress, TakesAPortAloneOrWithAnAddress) {
    const auto port_only = parse_listen_address("8081");
    EXPECT_EQ(port_only.address, "127.0.0.1");
    EXPECT_EQ(port_only.port, 8081);
    EXPECT_TRUE(is_loopback(port_only));
    const auto any = parse_listen_address("0.0.0.0:0");
    EXPECT_EQ(any.address, "0.0.0.0");
    EXPECT_EQ(any.port, 0);
    EXPECT_FALSE(is_loopback(any));
    const auto v6 = parse_listen_address("[::1]:8081");
    EXPECT_EQ(v6.address, "::1");
    EXPECT_EQ(v6.text(), "[::1]:8081");
    EXPECT_TRUE(is_loopback(v6));
}

TEST(ParseListenAddress, RefusesNamesBadPortsAndBareIpv6) {
    EXPECT_NE(refusal(parse_listen_address, "localhost:8081").find("not an IP address"), std::string::npos);
    EXPECT_NE(refusal(parse_listen_address, "127.0.0.1:65536").find("0-65535"), std::string::npos);
    EXPECT_NE(refusal(parse_listen_address, "127.0.0.1:").find("port"), std::string::npos);
    EXPECT_NE(refusal(parse_listen_address, "eighty").find("port"), std::string::npos);
    EXPECT_NE(refusal(parse_listen_address, "::1:8081").find("brackets"), std::string::npos);
}

}  // namespace
}  // namespace barrage::sandbox
