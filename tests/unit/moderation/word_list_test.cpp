#include "moderation/word_list.h"

#include <gtest/gtest.h>

TEST(X, Y) {}
