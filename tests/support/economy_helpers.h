#pragma once

// Helpers for the economy integration tests: admin grants, wallet and leaderboard reads over
// HTTP, signed payment callbacks, room pushes up to a marker, and a read-only look at the
// ledger's accounts and journal in the server's SQLite file (independent of src/ledger).
// Main (test) thread only, except where a function says otherwise.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "base/ids.h"
#include "support/packet_client.h"
#include "support/test_server.h"

namespace barrage::test {

// Stored account kinds (ledger::AccountKind), spelled out so a renumbering fails the tests.
inline constexpr int kExternalAccount = 1;
inline constexpr int kPlatformAccount = 2;
inline constexpr int kWalletAccount = 3;
inline constexpr int kEarningsAccount = 4;
inline constexpr int kAppAccount = 5;

// (kind, owner) → balance.
using Accounts = std::map<std::pair<int, std::uint64_t>, std::int64_t>;

// One journal row as stored.
struct JournalRow {
    std::int64_t order_id = 0;
    int debit_kind = 0;
    std::uint64_t debit_owner = 0;
    int credit_kind = 0;
    std::uint64_t credit_owner = 0;
    std::int64_t amount = 0;
    int code = 0;
    std::string memo;
    std::uint64_t room = 0;
    std::uint64_t item = 0;
    std::int64_t count = 0;
    std::int64_t reverses = 0;  // the order a refund reverses
    std::int64_t created_ms = 0;
};

// Every account in data_dir/barrage.db, read with the SQLite C API on a read-only
// connection. Accounts never used are absent. Throws when the file cannot be read.
Accounts read_accounts(const std::filesystem::path& data_dir);
// Every journal row, oldest first.
std::vector<JournalRow> read_journal(const std::filesystem::path& data_dir);
// Runs `sql` on data_dir/barrage.db with a connection of its own: for tests that damage the
// file, or take back what a dead process never wrote, while the server is stopped. Throws on
// failure.
void execute_sql(const std::filesystem::path& data_dir, const std::string& sql);
// The sum of all balances: zero whenever every order's legs balance.
std::int64_t balance_sum(const Accounts& accounts);

// POST /api/v1/admin/grants as the demo admin; throws unless code 0. Returns the data object.
boost::json::object grant(const TestServer& server, UserId uid, std::int64_t coins, std::string_view request_id,
                          std::string_view reason = "integration test");

// GET /api/v1/wallet with `token`; throws unless code 0. Returns the data object.
boost::json::object wallet(const TestServer& server, std::string_view token);
std::int64_t wallet_balance(const TestServer& server, std::string_view token);

struct BoardEntry {
    std::uint64_t uid = 0;
    std::int64_t coins = 0;
    bool operator==(const BoardEntry&) const = default;
};
// GET /api/v1/rooms/{room}/leaderboard?period=...; throws unless code 0.
std::vector<BoardEntry> leaderboard(const TestServer& server, std::uint64_t room, std::string_view period);

// Lowercase hex HMAC-SHA256(key, text). Safe from any thread.
std::string hmac_sha256_hex(std::string_view key, std::string_view text);

// POST /api/v1/payments/callback with the provider's headers: X-Payment-Timestamp
// `timestamp` and X-Payment-Signature HMAC(secret, timestamp + "." + body).
HttpReply payment_callback(const TestServer& server, std::string_view secret, std::string_view timestamp,
                           std::string_view body);

// Every op 5 push body (as a JSON object) up to and including the first whose root "seq" is
// `last`; unsequenced pushes too, in arrival order. Make `last` a danmaku (one push per
// message): a gift's COMBO_SEND shares its SEND_GIFT's seq and would be cut off. Throws when
// `timeout` passes first.
std::vector<boost::json::object> pushes_until(PacketClient& client, std::uint64_t last,
                                              std::chrono::milliseconds timeout = kWaitMax);
// The pushes of `pushes` whose "cmd" is `cmd`.
std::vector<boost::json::object> with_cmd(const std::vector<boost::json::object>& pushes, std::string_view cmd);

// The guard level the web dialect shows on `token`'s next danmaku in `room` (DANMU_MSG
// info[7]), read from `watcher`, a web member of the room.
std::int64_t shown_guard_level(const TestServer& server, PacketClient& watcher, std::string_view token,
                               std::uint64_t room = 1);

// The "data" object of a code-0 HTTP reply; throws (quoting the body) otherwise.
boost::json::object data_of(const HttpReply& reply);

}  // namespace barrage::test
