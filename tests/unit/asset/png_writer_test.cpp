// PNGs and APNGs written from pixels: a reader gets back the header and the very pixels, and an
// animation's chunks say its frames, timing and plays in the order APNG requires.

#include "asset/png_writer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "asset/image_header.h"

namespace barrage::asset {
namespace {

struct Chunk {
    std::string type;
    std::string data;
};

std::uint32_t be32(std::string_view bytes, std::size_t at) {
    return (std::uint32_t(std::uint8_t(bytes[at])) << 24) | (std::uint32_t(std::uint8_t(bytes[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(bytes[at + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[at + 3]));
}

// The file's chunks after the signature, each CRC checked.
std::vector<Chunk> chunks_of(std::string_view file) {
    EXPECT_EQ(file.substr(0, 8), std::string_view("\x89PNG\r\n\x1a\n", 8));
    std::vector<Chunk> out;
    std::size_t at = 8;
    while (at + 12 <= file.size()) {
        const auto length = be32(file, at);
        const auto typed = file.substr(at + 4, 4 + length);
        const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()));
        EXPECT_EQ(be32(file, at + 8 + length), std::uint32_t(crc)) << typed.substr(0, 4);
        out.push_back({std::string(typed.substr(0, 4)), std::string(typed.substr(4))});
        at += 12 + length;
    }
    EXPECT_EQ(at, file.size());
    return out;
}

// The pixels of a zlib stream of filter-0 scanlines.
std::string pixels_of(std::string_view compressed, const RgbaImage& like) {
    std::string raw((std::size_t{like.width} * 4 + 1) * like.height, '\0');
    uLongf size = raw.size();
    EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(raw.data()), &size, reinterpret_cast<const Bytef*>(compressed.data()),
                         static_cast<uLong>(compressed.size())),
              Z_OK);
    std::string out;
    for (std::uint32_t y = 0; y < like.height; ++y) {
        const std::size_t row = y * (std::size_t{like.width} * 4 + 1);
        EXPECT_EQ(raw[row], '\0');
        out += raw.substr(row + 1, std::size_t{like.width} * 4);
    }
    return out;
}

RgbaImage gradient(std::uint32_t width, std::uint32_t height, std::uint8_t shift) {
    RgbaImage image{.width = width, .height = height, .rgba = {}};
    for (std::uint32_t i = 0; i < width * height; ++i) {
        image.rgba += static_cast<char>(i + shift);
        image.rgba += static_cast<char>(i * 3);
        image.rgba += static_cast<char>(255 - i);
        image.rgba += static_cast<char>(i % 2 == 0 ? 255 : 0);
    }
    return image;
}

TEST(PngWriter, APngHoldsItsSizeAndExactlyItsPixels) {
    const auto image = gradient(5, 3, 0);
    const auto file = encode_png(image);
    auto header = read_image_header(file);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->type, ImageType::png);
    EXPECT_EQ(header->width, 5U);
    EXPECT_EQ(header->height, 3U);
    const auto chunks = chunks_of(file);
    ASSERT_EQ(chunks.size(), 3U);
    EXPECT_EQ(chunks[0].type, "IHDR");
    EXPECT_EQ(chunks[0].data.substr(8), std::string("\x08\x06\x00\x00\x00", 5));  // 8-bit RGBA
    EXPECT_EQ(chunks[1].type, "IDAT");
    EXPECT_EQ(pixels_of(chunks[1].data, image), image.rgba);
    EXPECT_EQ(chunks[2].type, "IEND");
}

TEST(PngWriter, AnAnimationNamesItsFramesInSequenceAndCarriesEachOnesPixels) {
    const std::vector<RgbaImage> frames{gradient(4, 2, 0), gradient(4, 2, 50), gradient(4, 2, 100)};
    const auto file = encode_apng(frames, {.frame_ms = 60, .plays = 1});
    ASSERT_TRUE(read_image_header(file).has_value());
    const auto chunks = chunks_of(file);
    std::vector<std::string> types;
    for (const auto& chunk : chunks) {
        types.push_back(chunk.type);
    }
    EXPECT_EQ(types,
              (std::vector<std::string>{"IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "fcTL", "fdAT", "IEND"}));
    EXPECT_EQ(be32(chunks[1].data, 0), 3U);  // frames
    EXPECT_EQ(be32(chunks[1].data, 4), 1U);  // plays
    // fcTL and fdAT share one sequence from 0; each fcTL states the size and 60/1000 s.
    std::uint32_t expected_sequence = 0;
    std::size_t frame = 0;
    for (const auto& chunk : chunks) {
        if (chunk.type == "fcTL") {
            ASSERT_EQ(chunk.data.size(), 26U);
            EXPECT_EQ(be32(chunk.data, 0), expected_sequence++);
            EXPECT_EQ(be32(chunk.data, 4), 4U);
            EXPECT_EQ(be32(chunk.data, 8), 2U);
            EXPECT_EQ(chunk.data.substr(20, 4), std::string("\x00\x3c\x03\xe8", 4));
        } else if (chunk.type == "IDAT") {
            EXPECT_EQ(pixels_of(chunk.data, frames[frame]), frames[frame].rgba);
            ++frame;
        } else if (chunk.type == "fdAT") {
            EXPECT_EQ(be32(chunk.data, 0), expected_sequence++);
            EXPECT_EQ(pixels_of(std::string_view(chunk.data).substr(4), frames[frame]), frames[frame].rgba);
            ++frame;
        }
    }
    EXPECT_EQ(frame, 3U);
}

}  // namespace
}  // namespace barrage::asset
