#pragma once

// What an uploaded image is, read from its first bytes only: the type from its magic bytes and
// the width and height its header states. Nothing is decoded, so a compression bomb (a small
// PNG that inflates to gigabytes) costs as much as any other header: a few dozen bytes read.

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace barrage::asset {

// The image types the asset library takes: what every browser shows in an <img> without
// running anything. SVG is not among them: it is a document that may carry script.
enum class ImageType : std::uint8_t { png, webp, gif, jpeg };

std::string_view media_type(ImageType type);  // "image/png", ...
std::string_view extension(ImageType type);   // "png", "webp", "gif", "jpg"
// The type whose extension() is `text`, if any.
std::optional<ImageType> type_of_extension(std::string_view text);

struct ImageHeader {
    ImageType type = ImageType::png;
    std::uint32_t width = 0;   // > 0
    std::uint32_t height = 0;  // > 0
};

// The header of the image in `bytes`: Errc::bad_asset_type when the magic bytes are none of
// the four types (SVG, HTML, text...), Errc::bad_asset_header when they are but the header is
// truncated, or names a zero width or height. A JPEG's size is in its first SOF segment, found
// by walking the segments before it; each step moves forward, so the walk ends within `bytes`.
Result<ImageHeader> read_image_header(std::string_view bytes);

// Whether `bytes` look like markup (SVG, HTML, XML): a '<' first after white space and a
// UTF-8 byte-order mark. Only to word a refusal: such bytes are refused anyway.
bool looks_like_markup(std::string_view bytes);

}  // namespace barrage::asset
