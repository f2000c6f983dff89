// What the asset library learns from an image's first bytes: the type by magic bytes, the size
// from the header, refusals for markup, strangers and truncated headers.

#include "asset/image_header.h"

#include <string>

#include <gtest/gtest.h>

namespace barrage::asset {
namespace {

std::string be32(std::uint32_t value) {
    return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
            static_cast<char>(value)};
}

std::string png(std::uint32_t width, std::uint32_t height) {
    return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(width) + be32(height) +
           std::string("\x08\x06\x00\x00\x00", 5) + be32(0);
}

TEST(ImageHeader, ReadsPngSize) {
    auto header = read_image_header(png(300, 200));
    ASSERT_TRUE(header);
    EXPECT_EQ(header->type, ImageType::png);
    EXPECT_EQ(header->width, 300U);
    EXPECT_EQ(header->height, 200U);
    EXPECT_EQ(media_type(header->type), "image/png");
}

TEST(ImageHeader, ReadsGifSize) {
    auto header = read_image_header(std::string("GIF89a\x40\x01\xF0\x00", 10));
    ASSERT_TRUE(header);
    EXPECT_EQ(header->type, ImageType::gif);
    EXPECT_EQ(header->width, 320U);
    EXPECT_EQ(header->height, 240U);
}

TEST(ImageHeader, ReadsWebpVp8xVp8AndVp8lSizes) {
    // VP8X: 24-bit width - 1 and height - 1.
    std::string vp8x = "RIFF" + std::string(4, '\0') + "WEBPVP8X" + std::string(4, '\x0a') + std::string(4, '\0') +
                       std::string("\x7F\x00\x00\x3F\x00\x00", 6);
    auto extended = read_image_header(vp8x);
    ASSERT_TRUE(extended);
    EXPECT_EQ(extended->type, ImageType::webp);
    EXPECT_EQ(extended->width, 128U);
    EXPECT_EQ(extended->height, 64U);
    // VP8: frame tag, start code, 14-bit sizes.
    std::string vp8 = "RIFF" + std::string(4, '\0') + "WEBPVP8 " + std::string(4, '\0') + std::string(3, '\0') +
                      std::string("\x9d\x01\x2a\x10\x00\x20\x00", 7);
    auto lossy = read_image_header(vp8);
    ASSERT_TRUE(lossy);
    EXPECT_EQ(lossy->width, 16U);
    EXPECT_EQ(lossy->height, 32U);
    // VP8L: signature 0x2f, then width - 1 (14 bits) and height - 1 (14 bits).
    const std::uint32_t bits = (100 - 1) | ((50 - 1) << 14);
    std::string vp8l = "RIFF" + std::string(4, '\0') + "WEBPVP8L" + std::string(4, '\0') + "\x2f" +
                       std::string{static_cast<char>(bits), static_cast<char>(bits >> 8), static_cast<char>(bits >> 16),
                                   static_cast<char>(bits >> 24)} +
                       std::string(5, '\0');
    auto lossless = read_image_header(vp8l);
    ASSERT_TRUE(lossless);
    EXPECT_EQ(lossless->width, 100U);
    EXPECT_EQ(lossless->height, 50U);
}

TEST(ImageHeader, WalksJpegSegmentsToTheFrameHeader) {
    // SOI, an APP0 segment of 16 bytes, then SOF0: precision, height 480, width 640.
    std::string jpeg = std::string("\xFF\xD8", 2) + std::string("\xFF\xE0\x00\x10", 4) + std::string(14, 'J') +
                       std::string("\xFF\xC0\x00\x11\x08\x01\xE0\x02\x80", 9) + std::string(10, '\0');
    auto header = read_image_header(jpeg);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->type, ImageType::jpeg);
    EXPECT_EQ(header->width, 640U);
    EXPECT_EQ(header->height, 480U);
    // Image data before any frame header, and a segment length that runs off the end.
    EXPECT_EQ(read_image_header(std::string("\xFF\xD8\xFF\xDA\x00\x08", 6)).error(), Errc::bad_asset_header);
    EXPECT_EQ(read_image_header(std::string("\xFF\xD8\xFF\xE0\xFF\xFF", 6)).error(), Errc::bad_asset_header);
}

TEST(ImageHeader, RefusesMarkupAndStrangers) {
    for (std::string text : {"<svg xmlns='http://www.w3.org/2000/svg'/>", "\xEF\xBB\xBF  <?xml version='1.0'?>",
                             "<!DOCTYPE html><script>alert(1)</script>"}) {
        EXPECT_EQ(read_image_header(text).error(), Errc::bad_asset_type) << text;
        EXPECT_TRUE(looks_like_markup(text)) << text;
    }
    EXPECT_EQ(read_image_header("").error(), Errc::bad_asset_type);
    EXPECT_EQ(read_image_header("BM6\x00\x00\x00").error(), Errc::bad_asset_type);  // BMP
    EXPECT_FALSE(looks_like_markup("GIF89a"));
}

TEST(ImageHeader, RefusesTruncatedAndZeroSizedHeaders) {
    const auto whole = png(10, 10);
    for (std::size_t length = 8; length < 24; ++length) {
        EXPECT_EQ(read_image_header(whole.substr(0, length)).error(), Errc::bad_asset_header) << length;
    }
    EXPECT_EQ(read_image_header(png(0, 10)).error(), Errc::bad_asset_header);
    EXPECT_EQ(read_image_header(std::string("GIF89a\x00\x00\x01\x00", 10)).error(), Errc::bad_asset_header);
    EXPECT_EQ(read_image_header(std::string("RIFF\0\0\0\0WEBPVP8Z", 16)).error(), Errc::bad_asset_header);
}

TEST(ImageHeader, ReadsOnlyTheHeaderOfAHugeImage) {
    // A 2^31-1 square PNG whose data would inflate to exabytes: its header is all that is read.
    auto header = read_image_header(png(0x7FFF'FFFF, 0x7FFF'FFFF));
    ASSERT_TRUE(header);
    EXPECT_EQ(header->width, 0x7FFF'FFFFU);
    EXPECT_EQ(read_image_header(png(0x8000'0000, 1)).error(), Errc::bad_asset_header);
}

}  // namespace
}  // namespace barrage::asset
