#include "moderation/word_filter.h"

#include <gtest/gtest.h>

TEST(X, Y) {}
