#include "app/demo_art.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <numbers>

#include "asset/png_writer.h"
#include "base/log.h"
#include "store/gift_assets.h"

namespace barrage::app {

namespace {

// The demo catalogue's interactive gift and the placeholder add_demo_defaults gives it.
constexpr std::uint64_t kDemoCrystalId = 6;
constexpr std::string_view kPlaceholderIcon = "/gifts/crystal.png";

constexpr std::uint32_t kIconSide = 64;
constexpr std::uint32_t kEffectSide = 128;
constexpr std::uint32_t kEffectFrames = 24;
constexpr std::uint16_t kEffectFrameMs = 60;

// A colour with alpha: 0xAARRGGBB; alpha 0 is the transparent ground.
using Argb = std::uint32_t;
constexpr Argb kClear = 0;
constexpr Argb opaque(std::uint32_t rgb) {
    return 0xFF000000U | rgb;
}

// A picture as a function of the point (u, v) in [-1, 1]², u to the right and v downwards.
using Picture = std::function<Argb(double u, double v)>;

// `picture` rendered at `side` × `side`, sampled at pixel centres, shifted by (du, dv).
asset::RgbaImage render(std::uint32_t side, const Picture& picture, double du = 0, double dv = 0) {
    asset::RgbaImage image{.width = side, .height = side, .rgba = std::string(std::size_t{side} * side * 4, '\0')};
    for (std::uint32_t y = 0; y < side; ++y) {
        for (std::uint32_t x = 0; x < side; ++x) {
            const double u = (x + 0.5) / side * 2 - 1 - du;
            const double v = (y + 0.5) / side * 2 - 1 - dv;
            const Argb colour = picture(u, v);
            const std::size_t at = (std::size_t{y} * side + x) * 4;
            image.rgba[at] = static_cast<char>((colour >> 16) & 0xFFU);
            image.rgba[at + 1] = static_cast<char>((colour >> 8) & 0xFFU);
            image.rgba[at + 2] = static_cast<char>(colour & 0xFFU);
            image.rgba[at + 3] = static_cast<char>(colour >> 24);
        }
    }
    return image;
}

bool in_circle(double u, double v, double cu, double cv, double radius) {
    return (u - cu) * (u - cu) + (v - cv) * (v - cv) < radius * radius;
}

// Whether (u, v) is within `width` of the segment from (au, av) to (bu, bv).
bool on_segment(double u, double v, double au, double av, double bu, double bv, double width) {
    const double du = bu - au;
    const double dv = bv - av;
    const double t = std::clamp(((u - au) * du + (v - av) * dv) / (du * du + dv * dv), 0.0, 1.0);
    return in_circle(u, v, au + t * du, av + t * dv, width);
}

// 小心心: a pink heart with a highlight.
Argb heart(double u, double v) {
    const double x = u * 1.25;
    const double y = -v * 1.25 + 0.25;
    const double a = x * x + y * y - 1;
    if (a * a * a - x * x * y * y * y > 0) {
        return kClear;
    }
    return in_circle(u, v, -0.38, -0.32, 0.14) ? opaque(0xFFC2D1) : opaque(0xFF4D79);
}

// 辣条: a red strip, turned, with chilli flecks.
Argb latiao(double u, double v) {
    const double angle = std::numbers::pi / 6;
    const double a = u * std::cos(angle) + v * std::sin(angle);
    const double b = -u * std::sin(angle) + v * std::cos(angle);
    if (std::abs(a) > 0.85 || std::abs(b) > 0.24) {
        return kClear;
    }
    const bool fleck = std::fmod(std::abs(a * 7 + b * 3), 1.0) < 0.18 && std::fmod(std::abs(b * 11), 1.0) < 0.4;
    return fleck ? opaque(0xFFB347) : opaque(0xD9381E);
}

// 小花花: five pink petals round a yellow heart.
Argb flower(double u, double v) {
    if (in_circle(u, v, 0, 0, 0.27)) {
        return opaque(0xFFD43B);
    }
    for (int petal = 0; petal < 5; ++petal) {
        const double angle = 2 * std::numbers::pi * petal / 5 - std::numbers::pi / 2;
        if (in_circle(u, v, 0.48 * std::cos(angle), 0.48 * std::sin(angle), 0.36)) {
            return opaque(0xFF8FB1);
        }
    }
    return kClear;
}

// 告白气球: a red balloon on a string.
Argb balloon(double u, double v) {
    const double eu = u / 0.62;
    const double ev = (v + 0.2) / 0.72;
    if (eu * eu + ev * ev < 1) {
        return in_circle(u, v, -0.25, -0.45, 0.12) ? opaque(0xFFB3BF) : opaque(0xE8364F);
    }
    if (on_segment(u, v, -0.07, 0.6, 0.07, 0.6, 0.06)) {
        return opaque(0xB5263A);  // the knot
    }
    if (v > 0.6 && std::abs(u - 0.06 * std::sin(v * 14)) < 0.025) {
        return opaque(0x8A8A8A);
    }
    return kClear;
}

// 小电视: a blue television with a face and two antennae.
Argb television(double u, double v) {
    const bool body = std::abs(u) < 0.78 && std::abs(v - 0.18) < 0.55;
    const bool screen = std::abs(u) < 0.6 && std::abs(v - 0.18) < 0.39;
    if (body && !screen) {
        return opaque(0x23ADE5);
    }
    if (screen) {
        const bool eye = in_circle(u, v, -0.28, 0.1, 0.08) || in_circle(u, v, 0.28, 0.1, 0.08);
        const bool mouth = std::abs(v - 0.33) < 0.04 && std::abs(u) < 0.18;
        return eye || mouth ? opaque(0x23ADE5) : opaque(0xFFFFFF);
    }
    if (on_segment(u, v, -0.18, -0.38, -0.45, -0.82, 0.05) || on_segment(u, v, 0.18, -0.38, 0.45, -0.82, 0.05)) {
        return opaque(0x23ADE5);
    }
    return kClear;
}

// `picture` drawn at half size, so that it can travel across an effect's frame.
Picture half(Picture picture) {
    return [picture = std::move(picture)](double u, double v) { return picture(u * 2, v * 2); };
}

// An effect: `picture` at half size moving from (from_u, from_v) to (to_u, to_v) over the frames.
std::string travelling_effect(const Picture& picture, double from_u, double from_v, double to_u, double to_v) {
    std::vector<asset::RgbaImage> frames;
    const auto small = half(picture);
    for (std::uint32_t frame = 0; frame < kEffectFrames; ++frame) {
        const double t = static_cast<double>(frame) / (kEffectFrames - 1);
        frames.push_back(render(kEffectSide, small, from_u + (to_u - from_u) * t, from_v + (to_v - from_v) * t));
    }
    return asset::encode_apng(frames, {.frame_ms = kEffectFrameMs, .plays = 1});
}

}  // namespace

std::string crystal_png(std::uint32_t side, std::uint32_t rgb) {
    // Integer geometry as first drawn, so the bytes (hence the asset library's hash and URL in
    // an existing data directory) stay the same.
    asset::RgbaImage image{.width = side, .height = side, .rgba = {}};
    const auto centre = static_cast<int>(side) / 2;
    for (std::uint32_t y = 0; y < side; ++y) {
        for (std::uint32_t x = 0; x < side; ++x) {
            const int dx = static_cast<int>(x) - centre;
            const int dy = static_cast<int>(y) - centre;
            const bool inside = std::abs(dx) + std::abs(dy) < centre;
            const bool facet = inside && dx < 0 && dy < 0;
            const std::uint32_t colour = facet ? (rgb | 0x404040U) : rgb;
            image.rgba += static_cast<char>(inside ? (colour >> 16) & 0xFFU : 0);
            image.rgba += static_cast<char>(inside ? (colour >> 8) & 0xFFU : 0);
            image.rgba += static_cast<char>(inside ? colour & 0xFFU : 0);
            image.rgba += static_cast<char>(inside ? 0xFF : 0);
        }
    }
    return asset::encode_png(image);
}

std::vector<DemoArtFile> demo_gift_art() {
    constexpr std::string_view kPng = "image/png";
    auto icon = [&](std::string name, const Picture& picture) {
        return DemoArtFile{.name = std::move(name),
                           .media_type = std::string(kPng),
                           .bytes = asset::encode_png(render(kIconSide, picture))};
    };
    std::vector<DemoArtFile> files;
    files.push_back(icon("heart.png", heart));
    files.push_back(icon("latiao.png", latiao));
    files.push_back(icon("flower.png", flower));
    files.push_back(icon("balloon.png", balloon));
    files.push_back(icon("tv.png", television));
    files.push_back(
        {.name = "crystal.png", .media_type = std::string(kPng), .bytes = crystal_png(kIconSide, 0x3A7BD5)});
    // A balloon rises from below the frame to above it; a television flies across it.
    files.push_back({.name = "balloon-effect.png",
                     .media_type = std::string(kPng),
                     .bytes = travelling_effect(balloon, 0, 0.9, 0, -1.6)});
    files.push_back({.name = "tv-effect.png",
                     .media_type = std::string(kPng),
                     .bytes = travelling_effect(television, -1.1, 0.2, 1.6, -0.2)});
    return files;
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
