#include "app/demo_art.h"

#include <array>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <zlib.h>

#include "base/log.h"
#include "store/gift_assets.h"

namespace barrage::app {

namespace {

// The demo catalogue's interactive gift and the placeholder add_demo_defaults gives it.
constexpr std::uint64_t kDemoCrystalId = 6;
constexpr std::string_view kPlaceholderIcon = "/gifts/crystal.png";

void append_be32(std::string& out, std::uint32_t value) {
    out += static_cast<char>(value >> 24);
    out += static_cast<char>(value >> 16);
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

}  // namespace

std::string crystal_png(std::uint32_t side, std::uint32_t rgb) {
    // Scanlines of RGBA, each behind filter byte 0.
    std::string raw;
    const auto centre = static_cast<int>(side) / 2;
    for (std::uint32_t y = 0; y < side; ++y) {
        raw += '\0';
        for (std::uint32_t x = 0; x < side; ++x) {
            const int dx = static_cast<int>(x) - centre;
            const int dy = static_cast<int>(y) - centre;
            const bool inside = std::abs(dx) + std::abs(dy) < centre;
            const bool facet = inside && dx < 0 && dy < 0;
            const std::uint32_t colour = facet ? (rgb | 0x404040U) : rgb;
            raw += static_cast<char>(inside ? (colour >> 16) & 0xFFU : 0);
            raw += static_cast<char>(inside ? (colour >> 8) & 0xFFU : 0);
            raw += static_cast<char>(inside ? colour & 0xFFU : 0);
            raw += static_cast<char>(inside ? 0xFF : 0);
        }
    }
    uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
    std::vector<Bytef> packed(packed_size);
    compress2(packed.data(), &packed_size, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
              Z_BEST_COMPRESSION);
    std::string header;
    append_be32(header, side);
    append_be32(header, side);
    header += std::string("\x08\x06\x00\x00\x00", 5);  // 8 bits, RGBA, deflate, no filter, not interlaced
    std::string out("\x89PNG\r\n\x1a\n", 8);
    append_chunk(out, "IHDR", header);
    append_chunk(out, "IDAT", std::string(reinterpret_cast<const char*>(packed.data()), packed_size));
    append_chunk(out, "IEND", {});
    return out;
}

void give_demo_gift_art(store::Database& database, const Clock& clock, Config& config) {
    for (auto& gift : config.gifts) {
        if (gift.id != kDemoCrystalId || gift.icon_url != kPlaceholderIcon) {
            continue;
        }
        store::GiftAssets assets(database, clock, std::filesystem::path(config.data_dir) / "assets");
        auto added = assets.add({.name = "能量水晶 (demo)", .bytes = crystal_png(64, 0x3A7BD5), .actor = UserId{0}});
        if (!added) {
            log::warn("demo: cannot put the crystal's art in the asset library: {}", added.error().message());
            return;
        }
        gift.icon_url = added->asset.url();
        return;
    }
}

}  // namespace barrage::app
