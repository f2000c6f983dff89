#include "ledger/account.h"

namespace barrage::ledger {

bool is_known_kind(std::int64_t stored_kind) {
    return stored_kind >= static_cast<std::int64_t>(AccountKind::external) &&
           stored_kind <= static_cast<std::int64_t>(AccountKind::app);
}

bool is_valid(AccountId account) {
    switch (account.kind) {
        case AccountKind::external:
        case AccountKind::platform: return account.owner == 0;
        case AccountKind::wallet:
        case AccountKind::earnings:
        case AccountKind::app: return account.owner != 0;
    }
    return false;
}

std::string to_string(AccountId account) {
    std::string kind;
    switch (account.kind) {
        case AccountKind::external: kind = "external"; break;
        case AccountKind::platform: kind = "platform"; break;
        case AccountKind::wallet: kind = "wallet"; break;
        case AccountKind::earnings: kind = "earnings"; break;
        case AccountKind::app: kind = "app"; break;
        default: kind = "kind" + std::to_string(static_cast<int>(account.kind)); break;
    }
    return kind + ":" + std::to_string(account.owner);
}

}  // namespace barrage::ledger
