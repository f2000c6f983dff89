#include "economy/leaderboard.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <initializer_list>

#include "base/assert.h"
#include "base/clock.h"

namespace barrage::economy {

namespace {

constexpr std::string_view kDayPrefix = "board:day:";
constexpr std::string_view kAllTimePrefix = "board:all:";
constexpr std::string_view kGiftNumberPrefix = "gift_number:";

// Parts after the kind prefix: day room:day:uid, all-time room:uid, gift room:uid:gift.
constexpr std::size_t kPartsMax = 3;

std::string join(std::string_view prefix, std::initializer_list<std::uint64_t> numbers) {
    std::string key{prefix};
    bool first = true;
    for (const auto number : numbers) {
        if (!first) {
            key += ':';
        }
        key += std::to_string(number);
        first = false;
    }
    return key;
}

std::uint64_t day_number(std::int32_t yyyymmdd) {
    BARRAGE_ASSERT(yyyymmdd >= 0);
    return static_cast<std::uint64_t>(yyyymmdd);
}

// Plain decimal as join writes it: digits only, no sign, no leading zero (except "0" itself).
std::optional<std::uint64_t> parse_number(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text.front() == '0')) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// Splits `rest` at ':' into exactly `count` numbers.
std::optional<std::array<std::uint64_t, kPartsMax>> parse_numbers(std::string_view rest, std::size_t count) {
    std::array<std::uint64_t, kPartsMax> numbers{};
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t colon = rest.find(':');
        const bool last = i + 1 == count;
        if (last != (colon == std::string_view::npos)) {
            return std::nullopt;
        }
        const auto number = parse_number(rest.substr(0, colon));
        if (!number) {
            return std::nullopt;
        }
        numbers[i] = *number;
        rest = last ? std::string_view{} : rest.substr(colon + 1);
    }
    return numbers;
}

bool valid_day(std::uint64_t yyyymmdd) {
    if (yyyymmdd < 10000101 || yyyymmdd > 99991231) {
        return false;
    }
    const std::chrono::year_month_day day{std::chrono::year{static_cast<int>(yyyymmdd / 10000)},
                                          std::chrono::month{static_cast<unsigned>(yyyymmdd / 100 % 100)},
                                          std::chrono::day{static_cast<unsigned>(yyyymmdd % 100)}};
    return day.ok();
}

std::optional<BoardKey> parse_day_key(std::string_view rest) {
    const auto parts = parse_numbers(rest, 3);
    if (!parts || !valid_day((*parts)[1])) {
        return std::nullopt;
    }
    return BoardKey{.kind = BoardKey::Kind::day,
                    .room = RoomId{(*parts)[0]},
                    .yyyymmdd = static_cast<std::int32_t>((*parts)[1]),
                    .user = UserId{(*parts)[2]}};
}

std::optional<BoardKey> parse_all_time_key(std::string_view rest) {
    const auto parts = parse_numbers(rest, 2);
    if (!parts) {
        return std::nullopt;
    }
    return BoardKey{.kind = BoardKey::Kind::all_time, .room = RoomId{(*parts)[0]}, .user = UserId{(*parts)[1]}};
}

std::optional<BoardKey> parse_gift_number_key(std::string_view rest) {
    const auto parts = parse_numbers(rest, 3);
    if (!parts) {
        return std::nullopt;
    }
    return BoardKey{.kind = BoardKey::Kind::gift_number,
                    .room = RoomId{(*parts)[0]},
                    .user = UserId{(*parts)[1]},
                    .gift_id = (*parts)[2]};
}

}  // namespace

std::string day_key(RoomId room, std::int32_t yyyymmdd, UserId user) {
    return join(kDayPrefix, {room.value, day_number(yyyymmdd), user.value});
}

std::string all_time_key(RoomId room, UserId user) {
    return join(kAllTimePrefix, {room.value, user.value});
}

std::string gift_number_key(RoomId room, UserId user, std::uint64_t gift_id) {
    return join(kGiftNumberPrefix, {room.value, user.value, gift_id});
}

std::string day_prefix(RoomId room, std::int32_t yyyymmdd) {
    return join(kDayPrefix, {room.value, day_number(yyyymmdd)}) + ':';
}

std::string all_time_prefix(RoomId room) {
    return join(kAllTimePrefix, {room.value}) + ':';
}

std::int32_t utc_day(Millis wall_ms) {
    return utc_yyyymmdd(wall_ms);
}

std::string commit_day_key(RoomId room, UserId user) {
    std::string key{kDayPrefix};
    key += std::to_string(room.value) + ':';
    key += kCommitDayMarker;
    key += ':' + std::to_string(user.value);
    return key;
}

std::optional<BoardKey> parse_key(std::string_view key) {
    if (key.starts_with(kDayPrefix)) {
        return parse_day_key(key.substr(kDayPrefix.size()));
    }
    if (key.starts_with(kAllTimePrefix)) {
        return parse_all_time_key(key.substr(kAllTimePrefix.size()));
    }
    if (key.starts_with(kGiftNumberPrefix)) {
        return parse_gift_number_key(key.substr(kGiftNumberPrefix.size()));
    }
    return std::nullopt;
}

std::optional<UserId> user_of_key(std::string_view key) {
    const auto parsed = parse_key(key);
    if (!parsed) {
        return std::nullopt;
    }
    return parsed->user;
}

}  // namespace barrage::economy
