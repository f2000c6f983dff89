#pragma once

// Logging facade: spdlog with external fmt. Modules log through these names so the sink and
// format are chosen once, in app/.
#include <spdlog/spdlog.h>

namespace barrage::log {
using spdlog::debug;
using spdlog::error;
using spdlog::info;
using spdlog::warn;
}  // namespace barrage::log
