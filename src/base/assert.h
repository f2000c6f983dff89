#pragma once

#include <cstdio>
#include <cstdlib>

// Our bugs crash, loudly and located. Callers' mistakes are returned as Result instead.
#define BARRAGE_ASSERT(condition)                                                                  \
    do {                                                                                           \
        if (!(condition)) [[unlikely]] {                                                           \
            std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
