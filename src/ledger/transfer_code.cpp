#include "ledger/transfer_code.h"

namespace barrage::ledger {

bool is_known_code(std::int64_t stored_code) {
    return stored_code >= static_cast<std::int64_t>(TransferCode::top_up) &&
           stored_code <= static_cast<std::int64_t>(TransferCode::gift_app_share);
}

std::optional<PurchaseCodes> purchase_codes_of(TransferCode code) {
    if (code == TransferCode::gift_app_share) {
        return kGiftCodes;
    }
    for (const auto& codes : {kGiftCodes, kSuperChatCodes, kGuardCodes, kPaidDanmakuCodes}) {
        if (code == codes.to_host || code == codes.to_platform) {
            return codes;
        }
    }
    return std::nullopt;
}

std::string_view to_string(TransferCode code) {
    switch (code) {
        case TransferCode::top_up: return "top_up";
        case TransferCode::grant: return "grant";
        case TransferCode::gift: return "gift";
        case TransferCode::gift_platform_share: return "gift_platform_share";
        case TransferCode::super_chat: return "super_chat";
        case TransferCode::super_chat_platform_share: return "super_chat_platform_share";
        case TransferCode::guard: return "guard";
        case TransferCode::guard_platform_share: return "guard_platform_share";
        case TransferCode::paid_danmaku: return "paid_danmaku";
        case TransferCode::paid_danmaku_platform_share: return "paid_danmaku_platform_share";
        case TransferCode::refund: return "refund";
        case TransferCode::payout: return "payout";
        case TransferCode::gift_app_share: return "gift_app_share";
    }
    return "unknown";
}

}  // namespace barrage::ledger
