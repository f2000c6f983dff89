#include "asset/image_header.h"

#include <array>

namespace barrage::asset {

namespace {

std::uint32_t byte_at(std::string_view bytes, std::size_t at) {
    return static_cast<unsigned char>(bytes[at]);
}

std::uint32_t big_endian_16(std::string_view bytes, std::size_t at) {
    return (byte_at(bytes, at) << 8U) | byte_at(bytes, at + 1);
}

std::uint32_t big_endian_32(std::string_view bytes, std::size_t at) {
    return (big_endian_16(bytes, at) << 16U) | big_endian_16(bytes, at + 2);
}

std::uint32_t little_endian_16(std::string_view bytes, std::size_t at) {
    return byte_at(bytes, at) | (byte_at(bytes, at + 1) << 8U);
}

std::uint32_t little_endian_24(std::string_view bytes, std::size_t at) {
    return little_endian_16(bytes, at) | (byte_at(bytes, at + 2) << 16U);
}

Result<ImageHeader> bad_header() {
    return make_error_code(Errc::bad_asset_header);
}

Result<ImageHeader> sized(ImageType type, std::uint32_t width, std::uint32_t height) {
    if (width == 0 || height == 0) {
        return bad_header();
    }
    return ImageHeader{.type = type, .width = width, .height = height};
}

// PNG: the signature, then the IHDR chunk, which the format requires first (length 13).
Result<ImageHeader> png(std::string_view bytes) {
    if (bytes.size() < 24 || big_endian_32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") {
        return bad_header();
    }
    const auto width = big_endian_32(bytes, 16);
    const auto height = big_endian_32(bytes, 20);
    // The PNG specification caps both at 2^31 - 1.
    if (width > 0x7FFF'FFFFU || height > 0x7FFF'FFFFU) {
        return bad_header();
    }
    return sized(ImageType::png, width, height);
}

// GIF: the logical screen's size follows the six-byte signature.
Result<ImageHeader> gif(std::string_view bytes) {
    if (bytes.size() < 10) {
        return bad_header();
    }
    return sized(ImageType::gif, little_endian_16(bytes, 6), little_endian_16(bytes, 8));
}

// WebP: RIFF, then the first chunk is VP8X (extended: animation, alpha), VP8 (lossy) or VP8L
// (lossless), each stating the size its own way.
Result<ImageHeader> webp(std::string_view bytes) {
    if (bytes.size() < 30) {
        return bad_header();
    }
    const auto chunk = bytes.substr(12, 4);
    if (chunk == "VP8X") {
        return sized(ImageType::webp, little_endian_24(bytes, 24) + 1, little_endian_24(bytes, 27) + 1);
    }
    if (chunk == "VP8 ") {
        // A key frame's start code, then 14 bits of width and of height (2 bits of scale).
        if (bytes.substr(23, 3) != "\x9d\x01\x2a") {
            return bad_header();
        }
        return sized(ImageType::webp, little_endian_16(bytes, 26) & 0x3FFFU, little_endian_16(bytes, 28) & 0x3FFFU);
    }
    if (chunk == "VP8L") {
        if (byte_at(bytes, 20) != 0x2F) {
            return bad_header();
        }
        const std::uint32_t bits =
            byte_at(bytes, 21) | (byte_at(bytes, 22) << 8U) | (byte_at(bytes, 23) << 16U) | (byte_at(bytes, 24) << 24U);
        return sized(ImageType::webp, (bits & 0x3FFFU) + 1, ((bits >> 14U) & 0x3FFFU) + 1);
    }
    return bad_header();
}

// Start-of-frame markers carry the size: C0..CF except C4 (Huffman tables), C8 (reserved) and
// CC (arithmetic coding conditioning).
bool is_start_of_frame(std::uint32_t marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// JPEG: segments from SOI on, [FF marker][length, 2 bytes, itself included][payload], until a
// start-of-frame segment: [precision][height][width]. The image data (SOS) must not come first.
Result<ImageHeader> jpeg(std::string_view bytes) {
    std::size_t at = 2;
    while (at + 4 <= bytes.size()) {
        if (byte_at(bytes, at) != 0xFF) {
            return bad_header();
        }
        const auto marker = byte_at(bytes, at + 1);
        if (marker == 0xFF) {
            ++at;  // fill byte
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;  // markers without a length
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) {
            return bad_header();  // the end, or image data, before any frame header
        }
        const auto length = big_endian_16(bytes, at + 2);
        if (length < 2) {
            return bad_header();
        }
        if (is_start_of_frame(marker)) {
            if (at + 9 > bytes.size() || length < 7) {
                return bad_header();
            }
            return sized(ImageType::jpeg, big_endian_16(bytes, at + 7), big_endian_16(bytes, at + 5));
        }
        at += 2 + length;
    }
    return bad_header();
}

}  // namespace

std::string_view media_type(ImageType type) {
    switch (type) {
        case ImageType::png: return "image/png";
        case ImageType::webp: return "image/webp";
        case ImageType::gif: return "image/gif";
        case ImageType::jpeg: return "image/jpeg";
    }
    return "application/octet-stream";
}

std::string_view extension(ImageType type) {
    switch (type) {
        case ImageType::png: return "png";
        case ImageType::webp: return "webp";
        case ImageType::gif: return "gif";
        case ImageType::jpeg: return "jpg";
    }
    return "bin";
}

std::optional<ImageType> type_of_extension(std::string_view text) {
    for (auto type : {ImageType::png, ImageType::webp, ImageType::gif, ImageType::jpeg}) {
        if (extension(type) == text) {
            return type;
        }
    }
    return std::nullopt;
}

Result<ImageHeader> read_image_header(std::string_view bytes) {
    if (bytes.starts_with("\x89PNG\r\n\x1a\n")) {
        return png(bytes);
    }
    if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) {
        return gif(bytes);
    }
    if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
        return webp(bytes);
    }
    if (bytes.starts_with("\xFF\xD8\xFF")) {
        return jpeg(bytes);
    }
    return make_error_code(Errc::bad_asset_type);
}

bool looks_like_markup(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) {
        bytes.remove_prefix(3);
    }
    const auto first = bytes.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && bytes[first] == '<';
}

}  // namespace barrage::asset
