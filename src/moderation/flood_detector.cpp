#include "moderation/flood_detector.h"

#include <algorithm>
#include <array>

namespace barrage::moderation {

namespace {

bool ignored(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c >= '0' && c <= '9') ||
           (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && c > 0x20);
}

}  // namespace

std::uint64_t FloodDetector::fingerprint(std::string_view text) const {
    // FNV-1a over the kept characters; a run of the same character (ASCII folded to lower
    // case, or one multi-byte UTF-8 sequence) counts once.
    std::uint64_t hash = 1469598103934665603ULL;
    std::size_t kept = 0;
    std::array<char, 4> previous{};
    std::size_t previous_width = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        width = std::min(width, text.size() - i);
        std::array<char, 4> current{};
        std::copy_n(text.begin() + static_cast<std::ptrdiff_t>(i), width, current.begin());
        i += width;
        if (width == 1 && ignored(lead)) {
            continue;
        }
        if (width == 1 && lead >= 'A' && lead <= 'Z') {
            current[0] = static_cast<char>(lead - 'A' + 'a');
        }
        if (width == previous_width && current == previous) {
            continue;
        }
        for (std::size_t k = 0; k < width; ++k) {
            hash = (hash ^ static_cast<unsigned char>(current[k])) * 1099511628211ULL;
        }
        kept += width;
        previous = current;
        previous_width = width;
    }
    return kept >= options_.min_bytes ? (hash == 0 ? 1 : hash) : 0;
}

void FloodDetector::forget_oldest() {
    const Seen oldest = seen_.front();
    seen_.pop_front();
    auto found = senders_.find(oldest.print);
    if (found == senders_.end()) {
        return;
    }
    auto& users = found->second;
    auto at = std::ranges::find(users, oldest.user, &Sender::user);
    if (at != users.end() && --at->texts == 0) {
        users.erase(at);
    }
    if (users.empty()) {
        senders_.erase(found);
    }
}

void FloodDetector::forget_before(Millis cutoff_ms) {
    while (!seen_.empty() && seen_.front().at_ms < cutoff_ms) {
        forget_oldest();
    }
}

bool FloodDetector::floods(UserId user, std::string_view text, Millis now_ms) {
    if (options_.window_ms <= 0 || options_.users_max == 0) {
        return false;
    }
    const auto print = fingerprint(text);
    if (print == 0) {
        return false;
    }
    forget_before(now_ms - options_.window_ms);
    auto found = senders_.find(print);
    if (found == senders_.end()) {
        return false;
    }
    const auto& users = found->second;
    if (std::ranges::find(users, user, &Sender::user) != users.end()) {
        return false;
    }
    return users.size() >= options_.users_max;
}

void FloodDetector::record(UserId user, std::string_view text, Millis now_ms) {
    if (options_.window_ms <= 0 || options_.users_max == 0) {
        return;
    }
    const auto print = fingerprint(text);
    if (print == 0) {
        return;
    }
    forget_before(now_ms - options_.window_ms);
    if (seen_.size() >= options_.texts_max && !seen_.empty()) {
        forget_oldest();
    }
    seen_.push_back({now_ms, print, user});
    auto& users = senders_[print];
    if (auto at = std::ranges::find(users, user, &Sender::user); at != users.end()) {
        ++at->texts;
    } else {
        users.push_back({user, 1});
    }
}

}  // namespace barrage::moderation
