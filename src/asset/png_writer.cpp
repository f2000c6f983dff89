#include "asset/png_writer.h"

#include <string_view>

#include <zlib.h>

#include "base/assert.h"

namespace barrage::asset {

namespace {

void append_be32(std::string& out, std::uint32_t value) {
    out += static_cast<char>(value >> 24);
    out += static_cast<char>(value >> 16);
    out += static_cast<char>(value >> 8);
    out += static_cast<char>(value);
}

void append_be16(std::string& out, std::uint16_t value) {
    out += static_cast<char>(value >> 8);
    out += static_cast<char>(value);
}

// One PNG chunk: length, type, data, CRC of type and data.
void append_chunk(std::string& out, std::string_view type, const std::string& data) {
    append_be32(out, static_cast<std::uint32_t>(data.size()));
    const std::string typed = std::string(type) + data;
    out += typed;
    const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()));
    append_be32(out, static_cast<std::uint32_t>(crc));
}

void check(const RgbaImage& image) {
    BARRAGE_ASSERT(image.width > 0 && image.height > 0);
    BARRAGE_ASSERT(image.rgba.size() == std::size_t{image.width} * image.height * 4);
}

// The zlib stream of the image's scanlines, each behind filter byte 0 (none).
std::string compressed_pixels(const RgbaImage& image) {
    std::string raw;
    const std::size_t row_bytes = std::size_t{image.width} * 4;
    raw.reserve((row_bytes + 1) * image.height);
    for (std::uint32_t y = 0; y < image.height; ++y) {
        raw += '\0';
        raw.append(image.rgba, y * row_bytes, row_bytes);
    }
    uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
    std::string packed(packed_size, '\0');
    const int status =
        compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(raw.data()),
                  static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION);
    BARRAGE_ASSERT(status == Z_OK);
    packed.resize(packed_size);
    return packed;
}

std::string signature_and_header(const RgbaImage& image) {
    std::string header;
    append_be32(header, image.width);
    append_be32(header, image.height);
    header += std::string("\x08\x06\x00\x00\x00", 5);  // 8 bits, RGBA, deflate, no filter, not interlaced
    std::string out("\x89PNG\r\n\x1a\n", 8);
    append_chunk(out, "IHDR", header);
    return out;
}

}  // namespace

std::string encode_png(const RgbaImage& image) {
    check(image);
    std::string out = signature_and_header(image);
    append_chunk(out, "IDAT", compressed_pixels(image));
    append_chunk(out, "IEND", {});
    return out;
}

std::string encode_apng(const std::vector<RgbaImage>& frames, Animation animation) {
    BARRAGE_ASSERT(!frames.empty());
    const auto& first = frames.front();
    std::string out = signature_and_header(first);
    std::string control;
    append_be32(control, static_cast<std::uint32_t>(frames.size()));
    append_be32(control, animation.plays);
    append_chunk(out, "acTL", control);
    // fcTL and fdAT chunks share one sequence, from 0.
    std::uint32_t sequence = 0;
    for (std::size_t index = 0; index < frames.size(); ++index) {
        const auto& frame = frames[index];
        check(frame);
        BARRAGE_ASSERT(frame.width == first.width && frame.height == first.height);
        std::string frame_control;
        append_be32(frame_control, sequence++);
        append_be32(frame_control, frame.width);
        append_be32(frame_control, frame.height);
        append_be32(frame_control, 0);  // x offset
        append_be32(frame_control, 0);  // y offset
        append_be16(frame_control, animation.frame_ms);
        append_be16(frame_control, 1000);             // delay = frame_ms / 1000 s
        frame_control += std::string("\x01\x00", 2);  // dispose to transparent; replace, not blend
        append_chunk(out, "fcTL", frame_control);
        if (index == 0) {
            append_chunk(out, "IDAT", compressed_pixels(frame));  // also the still image
        } else {
            std::string data;
            append_be32(data, sequence++);
            data += compressed_pixels(frame);
            append_chunk(out, "fdAT", data);
        }
    }
    append_chunk(out, "IEND", {});
    return out;
}

}  // namespace barrage::asset
