#include "moderation/text_normaliser.h"

#include <gtest/gtest.h>

namespace barrage::moderation {
namespace {

std::string normalised(std::string_view text) {
    TextNormaliser normaliser;
    return normaliser.normalise(text).text;
}

TEST(TextNormaliser, Smoke) {
    EXPECT_EQ(normalised("ＡＢＣ"), "abc");
    EXPECT_EQ(normalised("幹你娘"), "干你娘");
}

}  // namespace
}  // namespace barrage::moderation
