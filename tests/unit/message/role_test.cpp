#include "message/role.h"

#include <gtest/gtest.h>

namespace barrage::message {
namespace {

TEST(Role, NamesRoundTrip) {
    for (const Role role : {Role::anonymous, Role::viewer, Role::bot, Role::manager, Role::host, Role::admin}) {
        EXPECT_EQ(parse_role(to_string(role)), role) << to_string(role);
    }
}

TEST(Role, UsesWireSpellings) {
    EXPECT_EQ(to_string(Role::anonymous), "anonymous");
    EXPECT_EQ(to_string(Role::viewer), "viewer");
    EXPECT_EQ(to_string(Role::bot), "bot");
    EXPECT_EQ(to_string(Role::manager), "manager");
    EXPECT_EQ(to_string(Role::host), "host");
    EXPECT_EQ(to_string(Role::admin), "admin");
}

TEST(Role, RejectsUnknownAndDifferentlyCasedNames) {
    EXPECT_FALSE(parse_role(""));
    EXPECT_FALSE(parse_role("owner"));
    EXPECT_FALSE(parse_role("Admin"));
    EXPECT_FALSE(parse_role("viewer "));
}

TEST(Role, HigherRolesCompareGreater) {
    EXPECT_LT(Role::anonymous, Role::viewer);
    EXPECT_LT(Role::viewer, Role::bot);
    EXPECT_LT(Role::bot, Role::manager);
    EXPECT_LT(Role::manager, Role::host);
    EXPECT_LT(Role::host, Role::admin);
}

}  // namespace
}  // namespace barrage::message
