#include "purchase/earnings_report.h"

#include <array>

#include "base/clock.h"

namespace barrage::purchase {

namespace json = boost::json;
using ledger::Coins;
using ledger::TransferCode;

namespace {

constexpr Millis kDayMs = 86'400'000;

// One kind of purchase in one group of the report.
struct Tally {
    std::int64_t orders = 0;
    Coins gross = 0;
    Coins earned = 0;
    std::int64_t refunds = 0;
    Coins refunded_gross = 0;
    Coins refunded_earned = 0;
};

// The four kinds, in the report's order.
constexpr std::array<std::pair<TransferCode, const char*>, 4> kKinds{{
    {TransferCode::gift, "gifts"},
    {TransferCode::super_chat, "super_chats"},
    {TransferCode::guard, "guards"},
    {TransferCode::paid_danmaku, "paid_danmaku"},
}};

struct Sheet {
    std::array<Tally, kKinds.size()> kinds{};

    void add(const ledger::EarningsRow& row) {
        for (std::size_t i = 0; i < kKinds.size(); ++i) {
            if (kKinds[i].first != row.code) {
                continue;
            }
            auto& tally = kinds[i];
            if (row.refund) {
                tally.refunds += row.orders;
                tally.refunded_gross += row.gross;
                tally.refunded_earned += row.earned;
            } else {
                tally.orders += row.orders;
                tally.gross += row.gross;
                tally.earned += row.earned;
            }
        }
    }

    // Writes the sheet's fields into `out`.
    void write(json::object& out) const {
        Coins net = 0;
        for (std::size_t i = 0; i < kKinds.size(); ++i) {
            const auto& tally = kinds[i];
            out[kKinds[i].second] = json::object{{"orders", tally.orders},
                                                 {"gross", tally.gross},
                                                 {"earned", tally.earned},
                                                 {"refunds", tally.refunds},
                                                 {"refunded_gross", tally.refunded_gross},
                                                 {"refunded_earned", tally.refunded_earned},
                                                 {"net", tally.earned - tally.refunded_earned}};
            net += tally.earned - tally.refunded_earned;
        }
        out["net"] = net;
    }
};

// A sheet and its rooms' sheets.
struct Group {
    Sheet sheet;
    std::map<RoomId, Sheet> rooms;

    void add(const ledger::EarningsRow& row) {
        sheet.add(row);
        rooms[row.room].add(row);
    }

    json::object to_json(const std::map<RoomId, std::uint32_t>& shares) const {
        json::object out;
        sheet.write(out);
        json::array per_room;
        for (const auto& [room, room_sheet] : rooms) {
            json::object entry{{"room", room.value}};
            auto share = shares.find(room);
            entry["share_per_mille"] = share != shares.end() ? json::value(share->second) : json::value(nullptr);
            room_sheet.write(entry);
            per_room.push_back(std::move(entry));
        }
        out["rooms"] = std::move(per_room);
        return out;
    }
};

json::value day_or_null(const std::optional<std::int32_t>& day) {
    return day ? json::value(*day) : json::value(nullptr);
}

}  // namespace

Millis EarningsRange::from_ms() const {
    return from_day ? utc_day_start_ms(*from_day) : 0;
}

Millis EarningsRange::to_ms() const {
    return to_day ? utc_day_start_ms(*to_day) + kDayMs : INT64_MAX;
}

json::object earnings_report(std::uint64_t uid, const EarningsRange& range,
                             const std::vector<ledger::EarningsRow>& rows,
                             const std::map<RoomId, std::uint32_t>& shares_per_mille, Coins balance) {
    std::map<std::int64_t, Group> days;
    Group total;
    Coins paid_out = 0;
    for (const auto& row : rows) {
        if (row.code == TransferCode::payout) {
            paid_out += row.earned;
            continue;
        }
        days[row.day].add(row);
        total.add(row);
    }
    json::array per_day;
    for (const auto& [day, group] : days) {
        json::object entry{{"day", utc_yyyymmdd(day * kDayMs)}};
        for (auto& field : group.to_json(shares_per_mille)) {
            entry.insert(field);
        }
        per_day.push_back(std::move(entry));
    }
    auto totals = total.to_json(shares_per_mille);
    totals["paid_out"] = paid_out;
    return json::object{{"uid", uid},
                        {"from", day_or_null(range.from_day)},
                        {"to", day_or_null(range.to_day)},
                        {"days", std::move(per_day)},
                        {"total", std::move(totals)},
                        {"balance", balance}};
}

}  // namespace barrage::purchase
