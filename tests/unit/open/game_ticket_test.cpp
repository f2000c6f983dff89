#include "open/game_ticket.h"

#include <gtest/gtest.h>

namespace barrage::open {
namespace {

const GameTicket kTicket{"0b6f2c1e-6d2a-4c43-9f1e-2a7c9d1e5b40", 1650000000001, RoomId{42}};

TEST(GameTickets, AnIssuedKeyNamesItsGame) {
    GameTickets tickets("server secret");
    const auto key = tickets.issue(kTicket);
    auto verified = tickets.verify(key);
    ASSERT_TRUE(verified.has_value());
    EXPECT_EQ(*verified, kTicket);
    EXPECT_LE(key.size(), GameTickets::kKeyLengthMax);
}

TEST(GameTickets, AnotherSecretsKeyIsRefused) {
    GameTickets ours("server secret");
    GameTickets theirs("another secret");
    EXPECT_FALSE(ours.verify(theirs.issue(kTicket)).has_value());
}

TEST(GameTickets, AnyChangedPartIsRefused) {
    GameTickets tickets("server secret");
    const auto key = tickets.issue(kTicket);
    // Each part of "g1.<game>.<app>.<room>.<mac>" changed alone: a key cannot be moved to
    // another game, app or room, nor its MAC guessed.
    auto other_room = tickets.issue({kTicket.game_id, kTicket.app_id, RoomId{43}});
    const auto mac = key.substr(key.rfind('.') + 1);
    const auto moved = other_room.substr(0, other_room.rfind('.') + 1) + mac;
    EXPECT_FALSE(tickets.verify(moved).has_value());
    std::string flipped = key;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    EXPECT_FALSE(tickets.verify(flipped).has_value());
    std::string other_game = key;
    other_game[3] = other_game[3] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(tickets.verify(other_game).has_value());
}

TEST(GameTickets, MalformedKeysAreRefusedWithoutWork) {
    GameTickets tickets("server secret");
    const auto key = tickets.issue(kTicket);
    for (const std::string& bad :
         {std::string(), std::string("g1"), std::string("g1...."), key + ".extra", "g2" + key.substr(2),
          key.substr(0, key.rfind('.')), std::string("g1.abc.x.1.00"), std::string("g1.abc.1.0.00"),
          std::string("g1.not/a/uuid.1.1.00"), std::string(GameTickets::kKeyLengthMax + 1, 'a'),
          // A user token (JWT) where a game key belongs.
          std::string("eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOjF9.c2ln")}) {
        EXPECT_FALSE(tickets.verify(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace barrage::open
