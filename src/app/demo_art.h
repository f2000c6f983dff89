#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/config.h"
#include "base/clock.h"
#include "store/database.h"

namespace barrage::app {

// A small PNG drawn here (no file shipped): a `side` × `side` diamond of the colour `rgb` on a
// transparent ground, with a lighter facet, as the demo's crystal gift. The image is a few
// hundred bytes.
std::string crystal_png(std::uint32_t side, std::uint32_t rgb);

// One file of the demo catalogue's art, served at /gifts/<name> (http/gift_art.h).
struct DemoArtFile {
    std::string name{};  // "heart.png"
    std::string media_type{};
    std::string bytes{};
};

// The demo catalogue's art (add_demo_defaults), drawn here: a 64 × 64 PNG icon for each gift
// (heart, latiao, flower, balloon, tv, crystal) and a 128 × 128 animated PNG for each animated
// gift's effect (balloon-effect.png rises, tv-effect.png flies across), played once. A few
// kilobytes in all; drawn at start-up in milliseconds.
std::vector<DemoArtFile> demo_gift_art();

// The embedded demo's interactive gift (能量水晶, the demo app's) gets real art from the asset
// library: the crystal is put in the library (once: the same bytes are the same asset) and the
// configured gift's placeholder icon URL replaced with the library's. Failures are logged and
// leave the placeholder (also served, at /gifts/crystal.png). Start-up only.
void give_demo_gift_art(store::Database& database, const Clock& clock, Config& config);

}  // namespace barrage::app
