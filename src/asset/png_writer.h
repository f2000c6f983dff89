#pragma once

// PNG and animated PNG (APNG) files from RGBA pixels, for art drawn in code (the demo's gift
// icons and effects, app/demo_art.h): no image library, zlib does the compression and CRCs.

#include <cstdint>
#include <string>
#include <vector>

namespace barrage::asset {

// Pixels row by row, 4 bytes each (red, green, blue, alpha; not premultiplied).
struct RgbaImage {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::string rgba{};  // width × height × 4 bytes
};

// A PNG of `image` (8-bit RGBA, no interlace). The image must be non-empty and its bytes match
// its size.
std::string encode_png(const RgbaImage& image);

// The timing of an animated PNG: each frame shows `frame_ms`, and the whole runs `plays` times
// (0: for ever).
struct Animation {
    std::uint16_t frame_ms = 100;
    std::uint32_t plays = 1;
};

// An APNG of `frames` (at least one, all the same size), each replacing the last whole. A
// browser without APNG shows the first frame as a still PNG.
std::string encode_apng(const std::vector<RgbaImage>& frames, Animation animation);

}  // namespace barrage::asset
