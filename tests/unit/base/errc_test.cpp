#include "base/errc.h"

#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/result.h"

namespace barrage {
namespace {

TEST(Errc, ConvertsToErrorCodeWithStableNumberAndMessage) {
    std::error_code ec = Errc::rate_limited;
    EXPECT_EQ(ec.value(), 3002);
    EXPECT_EQ(&ec.category(), &barrage_category());
    EXPECT_EQ(ec.message(), "sending too fast");
}

TEST(Errc, ResultCarriesOurCode) {
    Result<int> r = make_error_code(Errc::unknown_room);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), Errc::unknown_room);
}

TEST(FakeClock, MovesOnlyWhenAdvanced) {
    FakeClock clock(1000);
    EXPECT_EQ(clock.steady_ms(), 1000);
    clock.advance_ms(250);
    EXPECT_EQ(clock.steady_ms(), 1250);
    EXPECT_EQ(clock.wall_ms(), 1250);
}

}  // namespace
}  // namespace barrage
