#include "economy/gift_catalogue.h"

#include <gtest/gtest.h>

namespace barrage::economy {
namespace {

GiftSpec flower(std::uint64_t id = 1) {
    return GiftSpec{.id = id, .name = "小花花", .price = 100, .icon_url = "https://a/f.png"};
}

GiftSpec rocket(std::uint64_t id = 2) {
    return GiftSpec{.id = id,
                    .name = "火箭",
                    .price = 1'000'000,
                    .animated = true,
                    .icon_url = "https://a/r.png",
                    .effect_url = "https://a/r.svga",
                    .comboable = false};
}

TEST(GiftSpec, ValidSpecsPass) {
    EXPECT_TRUE(validate(flower()));
    EXPECT_TRUE(validate(rocket()));
    GiftSpec game = flower();
    game.app_id = 77;
    EXPECT_TRUE(validate(game));
}

TEST(GiftSpec, PriceMustBePositiveAndBounded) {
    GiftSpec spec = flower();
    spec.price = 0;
    EXPECT_EQ(validate(spec).error(), Errc::bad_amount);
    spec.price = -5;
    EXPECT_EQ(validate(spec).error(), Errc::bad_amount);
    spec.price = kGiftPriceMax + 1;
    EXPECT_EQ(validate(spec).error(), Errc::bad_amount);
    spec.price = kGiftPriceMax;
    EXPECT_TRUE(validate(spec));
    spec.price = 1;
    EXPECT_TRUE(validate(spec));
}

TEST(GiftSpec, IdAndNameAreChecked) {
    GiftSpec spec = flower(0);
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
    spec = flower();
    spec.name = "";
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
    spec.name = std::string(kGiftNameBytesMax + 1, 'x');
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
    spec.name = std::string(kGiftNameBytesMax, 'x');
    EXPECT_TRUE(validate(spec));
    spec.name = "\xff\xfe";
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
}

TEST(GiftSpec, UrlsAreBoundedAndEffectMatchesAnimated) {
    GiftSpec spec = flower();
    spec.icon_url = std::string(kGiftUrlBytesMax + 1, 'u');
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
    spec = flower();
    spec.effect_url = "https://a/f.svga";  // static gift with an effect: which lane?
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
    spec = rocket();
    spec.effect_url = "";  // animated gift with nothing to play
    EXPECT_EQ(validate(spec).error(), Errc::bad_request);
}

TEST(GiftSpec, OrderPriceIsPriceTimesCount) {
    EXPECT_EQ(order_price(flower(), 1).value(), 100);
    EXPECT_EQ(order_price(flower(), 3344).value(), 334'400);
    EXPECT_EQ(order_price(flower(), 0).error(), Errc::bad_count);
    EXPECT_EQ(order_price(flower(), kGiftCountMax + 1).error(), Errc::bad_count);
    GiftSpec dearest = flower();
    dearest.price = kGiftPriceMax;
    EXPECT_EQ(order_price(dearest, kGiftCountMax).value(), kGiftPriceMax * kGiftCountMax);
}

TEST(GiftCatalogue, FindsByIdAndKeepsIdOrder) {
    const auto catalogue = GiftCatalogue::make({rocket(20), flower(3), flower(11)});
    ASSERT_TRUE(catalogue);
    EXPECT_EQ(catalogue->size(), 3U);
    ASSERT_NE(catalogue->find(20), nullptr);
    EXPECT_EQ(catalogue->find(20)->name, "火箭");
    EXPECT_EQ(catalogue->find(3)->price, 100);
    EXPECT_EQ(catalogue->find(4), nullptr);
    EXPECT_EQ(catalogue->find(0), nullptr);
    EXPECT_EQ(catalogue->find(21), nullptr);
    EXPECT_EQ(catalogue->specs()[0].id, 3U);
    EXPECT_EQ(catalogue->specs()[1].id, 11U);
    EXPECT_EQ(catalogue->specs()[2].id, 20U);
}

TEST(GiftCatalogue, MakeRefusesDuplicatesAndInvalidSpecs) {
    EXPECT_EQ(GiftCatalogue::make({flower(1), rocket(1)}).error(), Errc::bad_request);
    GiftSpec free_gift = flower(2);
    free_gift.price = 0;
    EXPECT_EQ(GiftCatalogue::make({flower(1), free_gift}).error(), Errc::bad_amount);
    EXPECT_TRUE(GiftCatalogue::make({}));
}

TEST(GiftCatalogue, WithReturnsANewSnapshotAndLeavesTheOldOne) {
    const auto first = GiftCatalogue::make({flower(1)}).value();
    const auto second = first.with(rocket(2)).value();
    EXPECT_EQ(first.size(), 1U);
    EXPECT_EQ(first.find(2), nullptr);
    EXPECT_EQ(second.size(), 2U);
    EXPECT_NE(second.find(2), nullptr);

    GiftSpec dearer = flower(1);
    dearer.price = 200;
    const auto third = second.with(dearer).value();
    EXPECT_EQ(third.size(), 2U);
    EXPECT_EQ(third.find(1)->price, 200);
    EXPECT_EQ(second.find(1)->price, 100);
}

TEST(GiftCatalogue, WithRefusesInvalidSpecs) {
    const auto catalogue = GiftCatalogue::make({flower(1)}).value();
    GiftSpec bad = flower(1);
    bad.price = -1;
    EXPECT_EQ(catalogue.with(bad).error(), Errc::bad_amount);
    EXPECT_EQ(catalogue.find(1)->price, 100);
}

TEST(GiftCatalogue, IsBoundedAtGiftsMax) {
    std::vector<GiftSpec> specs;
    for (std::uint64_t id = 1; id <= kGiftsMax; ++id) {
        specs.push_back(flower(id));
    }
    auto too_many = specs;
    too_many.push_back(flower(kGiftsMax + 1));
    EXPECT_EQ(GiftCatalogue::make(std::move(too_many)).error(), Errc::bad_request);

    const auto full = GiftCatalogue::make(std::move(specs)).value();
    EXPECT_EQ(full.with(flower(kGiftsMax + 1)).error(), Errc::bad_request);
    GiftSpec replaced = flower(5);
    replaced.price = 7;
    EXPECT_EQ(full.with(replaced).value().find(5)->price, 7);  // replacing needs no room
}

}  // namespace
}  // namespace barrage::economy
