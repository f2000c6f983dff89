#pragma once

// Shared helpers for the ledger tests: temporary database files and order builders.

#include <algorithm>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "ledger/order.h"

namespace barrage::ledger::testing {

// A database path unique to the running test; the file and its WAL are removed on both ends.
class TempDatabase {
public:
    TempDatabase() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("barrage_ledger_") + info->test_suite_name() + "_" + info->name() + "_" +
                           std::to_string(::getpid()) + ".db";
        path_ = (std::filesystem::temp_directory_path() / name).string();
        remove();
    }
    ~TempDatabase() { remove(); }
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;

    const std::string& path() const { return path_; }

private:
    void remove() {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::filesystem::remove(path_ + suffix);
        }
    }

    std::string path_;
};

inline Order top_up(std::uint64_t uid, Coins amount, std::string request_id) {
    Order order;
    order.request_id = std::move(request_id);
    order.scope = UserId{0};
    order.kind = "top_up";
    order.fingerprint = "top_up:" + std::to_string(uid) + ":" + std::to_string(amount);
    order.legs = {{AccountId::external(), AccountId::wallet(uid), amount, TransferCode::top_up}};
    return order;
}

// A gift of `price` coins: 70% to the streamer's earnings, the rest to the platform, with the
// room's all-time leaderboard and the sender's gift number bumped.
inline Order gift(std::uint64_t from, std::uint64_t to, Coins price, std::string request_id, std::uint64_t room = 1,
                  std::uint64_t gift_id = 7) {
    Coins streamer = std::max<Coins>(1, price * 7 / 10);  // a 1-coin gift goes to the streamer
    Order order;
    order.request_id = std::move(request_id);
    order.scope = UserId{from};
    order.kind = "gift";
    order.fingerprint = "gift:" + std::to_string(room) + ":" + std::to_string(to) + ":" + std::to_string(gift_id) +
                        ":" + std::to_string(price);
    order.legs = {{AccountId::wallet(from), AccountId::earnings(to), streamer, TransferCode::gift}};
    if (price - streamer > 0) {
        order.legs.push_back(
            {AccountId::wallet(from), AccountId::platform(), price - streamer, TransferCode::gift_platform_share});
    }
    order.room = RoomId{room};
    order.item = gift_id;
    order.count = 1;
    order.counters = {
        {"board:all:" + std::to_string(room) + ":" + std::to_string(from), price},
        {"gift_number:" + std::to_string(room) + ":" + std::to_string(from) + ":" + std::to_string(gift_id), 1},
    };
    return order;
}

}  // namespace barrage::ledger::testing
