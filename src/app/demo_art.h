#pragma once

#include <cstdint>
#include <string>

#include "store/database.h"
#include "base/clock.h"
#include "app/config.h"

namespace barrage::app {

// A small PNG drawn here (no file shipped): a `side` × `side` diamond of the colour `rgb` on a
// transparent ground, with a lighter facet, as the demo's crystal gift. Zlib does the
// compression and the CRCs; the image is a few hundred bytes.
std::string crystal_png(std::uint32_t side, std::uint32_t rgb);

// The embedded demo's interactive gift (能量水晶, the demo app's) gets real art from the asset
// library: the crystal is put in the library (once: the same bytes are the same asset) and the
// configured gift's placeholder icon URL replaced with the library's. Failures are logged and
// leave the placeholder. Start-up only.
void give_demo_gift_art(store::Database& database, const Clock& clock, Config& config);

}  // namespace barrage::app
