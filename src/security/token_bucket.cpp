#include "security/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace barrage::security {

namespace {

// Far enough to mean "never" yet small enough that adding it to a clock reading cannot
// overflow (about 31,000 years).
constexpr double kFullInMsMax = 1e15;

}  // namespace

void TokenBucket::refill(const Rate& rate, Millis now_ms) {
    // A steady clock never goes back; the max() only guards against a misbehaving fake.
    const Millis elapsed_ms = std::max<Millis>(0, now_ms - updated_ms);
    const double gained = static_cast<double>(elapsed_ms) * rate.per_second / 1000.0;
    tokens = std::min(rate.burst, tokens + gained);
    updated_ms = now_ms;
}

bool TokenBucket::take(const Rate& rate, Millis now_ms, double count) {
    refill(rate, now_ms);
    if (tokens < count) {
        return false;
    }
    tokens -= count;
    return true;
}

std::size_t TokenBucket::available(const Rate& rate, Millis now_ms) {
    refill(rate, now_ms);
    return tokens <= 0.0 ? 0 : static_cast<std::size_t>(tokens);
}

Millis TokenBucket::full_at_ms(const Rate& rate) const {
    const double missing = rate.burst - tokens;
    if (missing <= 0.0) {
        return updated_ms;
    }
    const double full_in_ms =
        rate.per_second <= 0.0 ? kFullInMsMax : std::min(kFullInMsMax, std::ceil(missing * 1000.0 / rate.per_second));
    return updated_ms + static_cast<Millis>(full_in_ms);
}

}  // namespace barrage::security
