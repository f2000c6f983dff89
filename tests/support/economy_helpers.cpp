#include "support/economy_helpers.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include "support/json_helpers.h"

namespace barrage::test {

namespace json = boost::json;

namespace {

// A read-only connection closed on scope exit.
class ReadOnlyDatabase {
public:
    explicit ReadOnlyDatabase(const std::filesystem::path& data_dir) {
        auto path = (data_dir / "barrage.db").string();
        if (sqlite3_open_v2(path.c_str(), &handle_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : "out of memory";
            sqlite3_close(handle_);
            throw std::runtime_error(fmt::format("cannot open {} read-only: {}", path, message));
        }
    }
    ~ReadOnlyDatabase() { sqlite3_close(handle_); }
    ReadOnlyDatabase(const ReadOnlyDatabase&) = delete;
    ReadOnlyDatabase& operator=(const ReadOnlyDatabase&) = delete;

    // Runs `sql` and calls `row` with the statement for each result row.
    template <class Row>
    void each(const char* sql, Row row) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(handle_, sql, -1, &statement, nullptr) != SQLITE_OK) {
            throw std::runtime_error(fmt::format("cannot prepare {}: {}", sql, sqlite3_errmsg(handle_)));
        }
        int step = SQLITE_ROW;
        while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
            row(statement);
        }
        sqlite3_finalize(statement);
        if (step != SQLITE_DONE) {
            throw std::runtime_error(fmt::format("{} failed: {}", sql, sqlite3_errmsg(handle_)));
        }
    }

private:
    sqlite3* handle_ = nullptr;
};

std::string text_column(sqlite3_stmt* statement, int column) {
    const auto* text = sqlite3_column_text(statement, column);
    return text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

}  // namespace

Accounts read_accounts(const std::filesystem::path& data_dir) {
    ReadOnlyDatabase database(data_dir);
    Accounts out;
    database.each("SELECT kind, owner, balance FROM accounts", [&out](sqlite3_stmt* statement) {
        out[{sqlite3_column_int(statement, 0), static_cast<std::uint64_t>(sqlite3_column_int64(statement, 1))}] =
            sqlite3_column_int64(statement, 2);
    });
    return out;
}

std::vector<JournalRow> read_journal(const std::filesystem::path& data_dir) {
    ReadOnlyDatabase database(data_dir);
    std::vector<JournalRow> out;
    database.each(
        "SELECT order_id, debit_kind, debit_owner, credit_kind, credit_owner, amount, code, memo, room, item, "
        "count, reverses, created_ms FROM journal ORDER BY id",
        [&out](sqlite3_stmt* statement) {
            out.push_back(JournalRow{
                .order_id = sqlite3_column_int64(statement, 0),
                .debit_kind = sqlite3_column_int(statement, 1),
                .debit_owner = static_cast<std::uint64_t>(sqlite3_column_int64(statement, 2)),
                .credit_kind = sqlite3_column_int(statement, 3),
                .credit_owner = static_cast<std::uint64_t>(sqlite3_column_int64(statement, 4)),
                .amount = sqlite3_column_int64(statement, 5),
                .code = sqlite3_column_int(statement, 6),
                .memo = text_column(statement, 7),
                .room = static_cast<std::uint64_t>(sqlite3_column_int64(statement, 8)),
                .item = static_cast<std::uint64_t>(sqlite3_column_int64(statement, 9)),
                .count = sqlite3_column_int64(statement, 10),
                .reverses = sqlite3_column_int64(statement, 11),
                .created_ms = sqlite3_column_int64(statement, 12),
            });
        });
    return out;
}

void execute_sql(const std::filesystem::path& data_dir, const std::string& sql) {
    auto path = (data_dir / "barrage.db").string();
    sqlite3* handle = nullptr;
    char* error = nullptr;
    bool done = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
                sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
    std::string message = error != nullptr ? error : (handle != nullptr ? sqlite3_errmsg(handle) : "no memory");
    sqlite3_free(error);
    sqlite3_close(handle);
    if (!done) {
        throw std::runtime_error(fmt::format("{} on {}: {}", sql, path, message));
    }
}

std::int64_t balance_sum(const Accounts& accounts) {
    std::int64_t sum = 0;
    for (const auto& [account, balance] : accounts) {
        sum += balance;
    }
    return sum;
}

json::object data_of(const HttpReply& reply) {
    auto body = reply.json();
    if (reply.status != 200 || int_field(body, "code") != 0 || !body.contains("data")) {
        throw std::runtime_error(fmt::format("expected code 0, got HTTP {}: {:.400}", reply.status, reply.body));
    }
    auto& data = body.at("data");
    if (!data.is_object()) {
        throw std::runtime_error(fmt::format("\"data\" is not an object: {:.400}", reply.body));
    }
    return std::move(data.as_object());
}

json::object grant(const TestServer& server, UserId uid, std::int64_t coins, std::string_view request_id,
                   std::string_view reason) {
    auto body = json::serialize(
        json::object{{"uid", uid.value}, {"coins", coins}, {"reason", reason}, {"request_id", request_id}});
    return data_of(server.post("/api/v1/admin/grants", body, server.admin_token()));
}

json::object wallet(const TestServer& server, std::string_view token) {
    return data_of(server.get("/api/v1/wallet", token));
}

std::int64_t wallet_balance(const TestServer& server, std::string_view token) {
    return int_field(wallet(server, token), "balance");
}

std::vector<BoardEntry> leaderboard(const TestServer& server, std::uint64_t room, std::string_view period) {
    auto data = data_of(server.get(fmt::format("/api/v1/rooms/{}/leaderboard?period={}", room, period)));
    std::vector<BoardEntry> out;
    for (const auto& entry : data.at("entries").as_array()) {
        out.push_back(
            {static_cast<std::uint64_t>(int_field(entry.as_object(), "uid")), int_field(entry.as_object(), "coins")});
    }
    return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), digest.data(), &length);
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += fmt::format("{:02x}", digest[i]);
    }
    return out;
}

HttpReply payment_callback(const TestServer& server, std::string_view secret, std::string_view timestamp,
                           std::string_view body) {
    auto signature = hmac_sha256_hex(secret, fmt::format("{}.{}", timestamp, body));
    return http_request(
        server.http_port(), "POST", "/api/v1/payments/callback", body, {},
        HttpHeaders{{"X-Payment-Timestamp", std::string(timestamp)}, {"X-Payment-Signature", signature}});
}

std::vector<json::object> pushes_until(PacketClient& client, std::uint64_t last, std::chrono::milliseconds timeout) {
    std::vector<json::object> out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto push = client.next_where(
            [](const Received& received) {
                return received.packet.operation == static_cast<std::uint32_t>(wire::Operation::message);
            },
            fmt::format("pushes up to seq {} (got {} so far)", last, out.size()),
            std::max(left, std::chrono::milliseconds(1)));
        auto value = push.json();
        if (!value.is_object()) {
            continue;
        }
        auto sequence = sequence_of(value);
        out.push_back(std::move(value.as_object()));
        if (sequence == last) {
            return out;
        }
    }
}

std::int64_t shown_guard_level(const TestServer& server, PacketClient& watcher, std::string_view token,
                               std::uint64_t room) {
    auto sequence = server.send_danmaku("who am I", token, room);
    auto pushes = pushes_until(watcher, sequence);
    const auto& danmaku = pushes.back();
    if (danmaku.at("cmd").as_string() != "DANMU_MSG") {
        throw std::runtime_error("the last push is not the danmaku");
    }
    return danmaku.at("info").as_array().at(7).to_number<std::int64_t>();
}

std::vector<json::object> with_cmd(const std::vector<json::object>& pushes, std::string_view cmd) {
    std::vector<json::object> out;
    for (const auto& push : pushes) {
        const auto* value = push.if_contains("cmd");
        if (value != nullptr && value->is_string() && value->as_string() == cmd) {
            out.push_back(push);
        }
    }
    return out;
}

}  // namespace barrage::test
