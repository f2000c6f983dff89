#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace barrage::ledger {

// What an account holds. The numbers are stored in the database: never renumber, only append.
enum class AccountKind : std::uint8_t {
    external = 1,  // owner 0: money outside Barrage; top-ups debit it, payouts credit it
    platform = 2,  // owner 0: the platform's revenue share
    wallet = 3,    // owner uid: a viewer's spendable coins
    earnings = 4,  // owner uid: a streamer's earnings
    app = 5,       // owner app id: an open-platform app's revenue share
};

// One account. Accounts are created on first use; a missing account has balance 0.
struct AccountId {
    AccountKind kind = AccountKind::external;
    std::uint64_t owner = 0;
    auto operator<=>(const AccountId&) const = default;

    static constexpr AccountId external() { return {AccountKind::external, 0}; }
    static constexpr AccountId platform() { return {AccountKind::platform, 0}; }
    static constexpr AccountId wallet(std::uint64_t uid) { return {AccountKind::wallet, uid}; }
    static constexpr AccountId earnings(std::uint64_t uid) { return {AccountKind::earnings, uid}; }
    static constexpr AccountId app(std::uint64_t app_id) { return {AccountKind::app, app_id}; }
};

// True for a known kind with a fitting owner: external and platform have owner 0, the others a
// non-zero owner.
bool is_valid(AccountId account);

// The only account whose balance may go below zero: it mirrors money outside the system.
inline bool may_go_negative(AccountId account) {
    return account.kind == AccountKind::external;
}

// "wallet:42", for logs and reports.
std::string to_string(AccountId account);

// The kind for a stored number, if it is one.
bool is_known_kind(std::int64_t stored_kind);

}  // namespace barrage::ledger

template <>
struct std::hash<barrage::ledger::AccountId> {
    std::size_t operator()(barrage::ledger::AccountId id) const noexcept {
        // Owners are dense small numbers; mixing the kind into the top bits keeps the kinds of
        // one owner apart.
        return std::hash<std::uint64_t>{}(id.owner ^ (std::uint64_t{static_cast<std::uint8_t>(id.kind)} << 56));
    }
};
