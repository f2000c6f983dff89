#include "ledger/receipt.h"

#include <boost/json.hpp>

namespace barrage::ledger {

namespace json = boost::json;

namespace {

Result<Receipt> damaged() {
    return make_error_code(Errc::internal);
}

// Reads a JSON integer as int64, refusing doubles and out-of-range values.
bool read_int(const json::value& value, std::int64_t& out) {
    if (value.is_int64()) {
        out = value.get_int64();
        return true;
    }
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        out = static_cast<std::int64_t>(value.get_uint64());
        return true;
    }
    return false;
}

bool read_owner(const json::value& value, std::uint64_t& out) {
    if (value.is_uint64()) {
        out = value.get_uint64();
        return true;
    }
    if (value.is_int64() && value.get_int64() >= 0) {
        out = static_cast<std::uint64_t>(value.get_int64());
        return true;
    }
    return false;
}

bool read_balance(const json::value& value, AccountBalance& out) {
    const auto* row = value.if_array();
    std::int64_t kind = 0;
    if (!row || row->size() != 3 || !read_int((*row)[0], kind) || !is_known_kind(kind)) {
        return false;
    }
    out.account.kind = static_cast<AccountKind>(kind);
    return read_owner((*row)[1], out.account.owner) && read_int((*row)[2], out.balance);
}

bool read_counter(const json::value& value, CounterValue& out) {
    const auto* row = value.if_array();
    if (!row || row->size() != 2 || !(*row)[0].is_string()) {
        return false;
    }
    out.name = std::string((*row)[0].get_string());
    return read_int((*row)[1], out.value);
}

}  // namespace

const AccountBalance* Receipt::find(AccountId account) const {
    for (const auto& entry : balances) {
        if (entry.account == account) {
            return &entry;
        }
    }
    return nullptr;
}

// Written by hand rather than through json::value: the writer serialises one receipt per
// order, and building a DOM for it cost more than the rest of the order's CPU work in memory.
std::string serialise(const Receipt& receipt) {
    std::string out;
    out.reserve(64 + 40 * receipt.balances.size() + 48 * receipt.counters.size());
    out += R"({"order":)";
    out += std::to_string(receipt.order_id);
    out += R"(,"ms":)";
    out += std::to_string(receipt.committed_ms);
    out += R"(,"balances":[)";
    for (std::size_t i = 0; i < receipt.balances.size(); ++i) {
        const auto& entry = receipt.balances[i];
        out += i == 0 ? "[" : ",[";
        out += std::to_string(static_cast<int>(entry.account.kind));
        out += ',';
        out += std::to_string(entry.account.owner);
        out += ',';
        out += std::to_string(entry.balance);
        out += ']';
    }
    out += R"(],"counters":[)";
    for (std::size_t i = 0; i < receipt.counters.size(); ++i) {
        const auto& entry = receipt.counters[i];
        out += i == 0 ? "[" : ",[";
        out += boost::json::serialize(boost::json::string_view(entry.name));
        out += ',';
        out += std::to_string(entry.value);
        out += ']';
    }
    out += "]}";
    return out;
}

Result<Receipt> parse_receipt(std::string_view text) {
    boost::system::error_code ec;
    json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
    const auto* object = ec ? nullptr : value.if_object();
    if (!object) {
        return damaged();
    }
    Receipt receipt;
    const auto* order = object->if_contains("order");
    const auto* ms = object->if_contains("ms");
    const auto* balances = object->if_contains("balances");
    const auto* counters = object->if_contains("counters");
    if (!order || !ms || !balances || !counters || !balances->is_array() || !counters->is_array() ||
        !read_int(*order, receipt.order_id) || !read_int(*ms, receipt.committed_ms)) {
        return damaged();
    }
    for (const auto& row : balances->get_array()) {
        if (!read_balance(row, receipt.balances.emplace_back())) {
            return damaged();
        }
    }
    for (const auto& row : counters->get_array()) {
        if (!read_counter(row, receipt.counters.emplace_back())) {
            return damaged();
        }
    }
    return receipt;
}

}  // namespace barrage::ledger
