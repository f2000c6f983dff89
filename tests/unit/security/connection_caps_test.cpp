#include "security/connection_caps.h"

#include <gtest/gtest.h>

#include <vector>

namespace barrage::security {
namespace {

TEST(AddressKey, Ipv4AsIsIpv6ByItsSlash64) {
    EXPECT_EQ(address_key("192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(address_key("::ffff:192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(address_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    EXPECT_EQ(address_key("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
    EXPECT_EQ(address_key("not an address"), "");
}

TEST(ConnectionCaps, AnAddressHoldsAtMostItsShareAndLeasesGiveItBack) {
    ConnectionCaps caps(
        {.per_address_max = 2, .trusted_proxies = {}, .descriptor_headroom = 0, .descriptor_limit = 100});
    auto first = caps.acquire("10.0.0.1");
    auto second = caps.acquire("10.0.0.1");
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(caps.acquire("10.0.0.1"));
    EXPECT_EQ(caps.refused_per_address(), 1U);
    EXPECT_TRUE(caps.acquire("10.0.0.2")) << "other addresses are not affected";
    EXPECT_EQ(caps.open(), 2U) << "the refused one holds nothing; the third lease died at once";
    first.reset();
    EXPECT_TRUE(caps.acquire("10.0.0.1"));
    second.reset();
    EXPECT_EQ(caps.open(), 0U);
    EXPECT_EQ(caps.addresses(), 0U) << "an address without connections is forgotten";
}

TEST(ConnectionCaps, OneIpv6SubscriberIsOneAddress) {
    ConnectionCaps caps(
        {.per_address_max = 1, .trusted_proxies = {}, .descriptor_headroom = 0, .descriptor_limit = 100});
    auto lease = caps.acquire("2001:db8::1");
    ASSERT_TRUE(lease);
    EXPECT_FALSE(caps.acquire("2001:db8::2"));
}

TEST(ConnectionCaps, ATrustedProxyIsNotCappedButWhatItForwardsIs) {
    ConnectionCaps caps(
        {.per_address_max = 1, .trusted_proxies = {"10.9.9.9"}, .descriptor_headroom = 0, .descriptor_limit = 100});
    auto a = caps.acquire("10.9.9.9");
    auto b = caps.acquire("10.9.9.9");
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(a->bind_address("203.0.113.5"));
    EXPECT_FALSE(b->bind_address("203.0.113.5")) << "the forwarded client already holds its one connection";
    EXPECT_TRUE(b->bind_address("203.0.113.6"));
    EXPECT_EQ(caps.open(), 2U);
}

TEST(ConnectionCaps, PressureStartsWithinTheHeadroomOfTheDescriptorLimit) {
    // descriptors_at_start counts what this process already has open; leave room above it.
    ConnectionCaps probe(
        {.per_address_max = 0, .trusted_proxies = {}, .descriptor_headroom = 0, .descriptor_limit = 1 << 20});
    ConnectionCaps caps(
        {.per_address_max = 0, .trusted_proxies = {}, .descriptor_headroom = 10, .descriptor_limit = 64 + 20});
    std::vector<ConnectionCaps::Lease> leases;
    while (!caps.under_pressure()) {
        auto lease = caps.acquire("10.0.0.1");
        ASSERT_TRUE(lease);
        leases.push_back(std::move(*lease));
        ASSERT_LT(leases.size(), 100U);
    }
    const auto at_pressure = leases.size();
    leases.pop_back();
    EXPECT_FALSE(caps.under_pressure());
    EXPECT_GT(at_pressure, 0U);
    EXPECT_FALSE(probe.under_pressure());
}

}  // namespace
}  // namespace barrage::security
