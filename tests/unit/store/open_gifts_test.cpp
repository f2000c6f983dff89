#include "store/open_gifts.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/gift_assets.h"

namespace barrage::store {
namespace {

std::string be32(std::uint32_t value) {
    return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
            static_cast<char>(value)};
}

std::string png(std::uint32_t side, char fill) {
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(side) + be32(side) + std::string(9, fill);
}

struct Fixture {
    std::filesystem::path directory =
        std::filesystem::temp_directory_path() /
        ("barrage-gifts-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Database database{{":memory:", true}};
    FakeClock clock;
    OpenApps apps{database, clock};
    OpenGifts gifts{database, clock};
    GiftAssets assets{database, clock, directory};
    ~Fixture() { std::filesystem::remove_all(directory); }
};

TEST(GiftAssets, StoresOneFileNamedByItsHashAndRefusesWhatIsNoImage) {
    Fixture fixture;
    auto added = fixture.assets.add({.name = "heart", .bytes = png(32, 'a'), .actor = UserId{10}});
    ASSERT_TRUE(added);
    EXPECT_TRUE(added->created);
    EXPECT_EQ(added->asset.sha256.size(), 64U);
    EXPECT_TRUE(std::filesystem::exists(fixture.directory / added->asset.file_name()));
    EXPECT_EQ(fixture.assets.read(added->asset).value(), png(32, 'a'));
    auto again = fixture.assets.add({.name = "other name", .bytes = png(32, 'a'), .actor = UserId{10}});
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->created);
    EXPECT_EQ(again->asset.asset_id, added->asset.asset_id);
    EXPECT_EQ(fixture.assets.add({.name = "svg", .bytes = "<svg/>", .actor = UserId{10}}).error(),
              Errc::bad_asset_type);
    EXPECT_EQ(fixture.assets.add({.name = "wide", .bytes = png(1025, 'b'), .actor = UserId{10}}).error(),
              Errc::asset_too_wide);
    EXPECT_EQ(fixture.assets
                  .add({.name = "big", .bytes = png(8, 'c') + std::string(kAssetBytesMax, 'x'), .actor = UserId{10}})
                  .error(),
              Errc::asset_too_large);
    EXPECT_EQ(fixture.assets.list().value().size(), 1U);
    // A file changed on disk is never read back under its old name.
    std::filesystem::resize_file(fixture.directory / added->asset.file_name(), 10);
    EXPECT_FALSE(fixture.assets.read(added->asset));
}

TEST(OpenGifts, AnAppHoldsAtMostFiftyGiftsAndOnlyApprovedOnesOfApprovedAppsAreSold) {
    Fixture fixture;
    auto app = fixture.apps.create_app(UserId{7}, "Duel", true, UserId{10});
    auto draft_app = fixture.apps.create_app(UserId{7}, "Draft", false, UserId{7});
    auto asset = fixture.assets.add({.name = "heart", .bytes = png(32, 'a'), .actor = UserId{10}});
    ASSERT_TRUE(app && draft_app && asset);
    const GiftDraft draft{.app_id = app->app_id,
                          .gift_id = 0,
                          .actor = UserId{7},
                          .name = "Crystal",
                          .price = 100,
                          .asset_id = asset->asset.asset_id,
                          .effect_asset_id = 0,
                          .comboable = true};
    auto unknown_art = draft;
    unknown_art.effect_asset_id = 999;
    EXPECT_EQ(fixture.gifts.create_draft(unknown_art).error(), Errc::unknown_asset);
    std::int64_t first = 0;
    for (std::size_t i = 0; i < kGiftsPerAppMax; ++i) {
        auto made = fixture.gifts.create_draft(draft);
        ASSERT_TRUE(made) << i;
        first = first == 0 ? made->gift_id : first;
    }
    EXPECT_EQ(fixture.gifts.create_draft(draft).error(), Errc::gifts_limit);
    EXPECT_EQ(fixture.gifts.gifts_of(app->app_id).value().size(), kGiftsPerAppMax);

    EXPECT_TRUE(fixture.gifts.catalogue_specs().value().empty());
    EXPECT_EQ(fixture.gifts.review({.gift_id = first, .actor = UserId{10}, .approve = true}).error(),
              Errc::wrong_app_status);
    ASSERT_TRUE(fixture.gifts.submit(first, UserId{7}));
    ASSERT_TRUE(fixture.gifts.review({.gift_id = first, .actor = UserId{10}, .approve = true}));
    auto specs = fixture.gifts.catalogue_specs().value();
    ASSERT_EQ(specs.size(), 1U);
    EXPECT_EQ(specs[0].id, economy::kInteractiveGiftIdMin + static_cast<std::uint64_t>(first));
    EXPECT_EQ(specs[0].icon_url, asset->asset.url());
    EXPECT_EQ(specs[0].app_id, static_cast<std::uint64_t>(app->app_id));
    EXPECT_TRUE(economy::validate(specs[0]));

    // A gift of an app that is not approved is not sold, approved or not.
    auto other = draft;
    other.app_id = draft_app->app_id;
    auto made = fixture.gifts.create_draft(other);
    ASSERT_TRUE(made);
    ASSERT_TRUE(fixture.gifts.submit(made->gift_id, UserId{7}));
    ASSERT_TRUE(fixture.gifts.review({.gift_id = made->gift_id, .actor = UserId{10}, .approve = true}));
    EXPECT_EQ(fixture.gifts.catalogue_specs().value().size(), 1U);
}

}  // namespace
}  // namespace barrage::store
