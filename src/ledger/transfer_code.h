#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace barrage::ledger {

// Why a leg moved money. Stored in the journal and read by settlement and reconciliation:
// never renumber, only append. A "platform_share" leg is the platform's cut of the leg before.
enum class TransferCode : std::uint16_t {
    top_up = 1,               // external -> wallet, from a verified payment callback
    grant = 2,                // platform or external -> wallet, e.g. an operator's gift
    gift = 3,                 // wallet -> earnings (or app for interactive gifts)
    gift_platform_share = 4,  // wallet -> platform
    super_chat = 5,
    super_chat_platform_share = 6,
    guard = 7,
    guard_platform_share = 8,
    paid_danmaku = 9,
    paid_danmaku_platform_share = 10,
    refund = 11,  // reverses an earlier movement
    payout = 12,  // earnings or app -> external
    // wallet -> app: an interactive gift's app share, cut from the platform's part at the ratio
    // in force when the order commits (Order::app_cut)
    gift_app_share = 13,
};

bool is_known_code(std::int64_t stored_code);

// The two codes of one kind of purchase: the host's share and the platform's.
struct PurchaseCodes {
    TransferCode to_host;
    TransferCode to_platform;
    bool operator==(const PurchaseCodes&) const = default;
};
inline constexpr PurchaseCodes kGiftCodes{TransferCode::gift, TransferCode::gift_platform_share};
inline constexpr PurchaseCodes kSuperChatCodes{TransferCode::super_chat, TransferCode::super_chat_platform_share};
inline constexpr PurchaseCodes kGuardCodes{TransferCode::guard, TransferCode::guard_platform_share};
inline constexpr PurchaseCodes kPaidDanmakuCodes{TransferCode::paid_danmaku, TransferCode::paid_danmaku_platform_share};

// The purchase a code is a share of (gift, super chat, guard, paid danmaku; gift_app_share is a
// gift's); nullopt for every other code (top-ups, grants, refunds, payouts).
std::optional<PurchaseCodes> purchase_codes_of(TransferCode code);

// "gift_platform_share", for logs and docs.
std::string_view to_string(TransferCode code);

}  // namespace barrage::ledger
