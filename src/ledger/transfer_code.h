#pragma once

#include <cstdint>
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
};

bool is_known_code(std::int64_t stored_code);

// "gift_platform_share", for logs and docs.
std::string_view to_string(TransferCode code);

}  // namespace barrage::ledger
