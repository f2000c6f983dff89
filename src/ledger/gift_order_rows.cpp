#include "ledger/gift_order_rows.h"

#include "economy/app_split.h"

namespace barrage::ledger {

Coins AppOrderRows::expected_cut(const economy::AppShareSchedule& shares) const {
    const Coins platform_part = gross - streamer;
    if (platform_part < 0 || platform_part > economy::kCoinsMax) {
        return -1;  // damaged rows: never equal to a written cut
    }
    return economy::app_cut(platform_part, shares.at(app, created_ms).per_mille);
}

void AppOrderFolder::add(const JournalEntry& entry) {
    if (open_ && open_->order_id != entry.order_id) {
        finish();
    }
    if (!open_) {
        open_ = AppOrderRows{.order_id = entry.order_id,
                             .app = entry.app,
                             .room = entry.room,
                             .created_ms = entry.created_ms,
                             .reverses = entry.reverses,
                             .count = entry.count};
        concerns_app_ = false;
    }
    auto& rows = *open_;
    rows.entry_ids.push_back(entry.id);
    rows.gross += entry.leg.amount;
    const auto code = entry.leg.code;
    if (code == TransferCode::gift) {
        rows.streamer += entry.leg.amount;
    }
    if (code == TransferCode::gift_app_share) {
        rows.to_app += entry.leg.amount;
    }
    if (code == TransferCode::refund && entry.leg.debit.kind == AccountKind::app) {
        rows.to_app += entry.leg.amount;
    }
    // An interactive gift, or the refund of one (its rows carry the gift's app).
    const bool gift =
        code == TransferCode::gift || code == TransferCode::gift_platform_share || code == TransferCode::gift_app_share;
    if (entry.app != 0 && (gift || (code == TransferCode::refund && entry.reverses != 0))) {
        concerns_app_ = true;
    }
}

void AppOrderFolder::finish() {
    if (open_ && concerns_app_) {
        done_(*open_);
    }
    open_.reset();
    concerns_app_ = false;
}

std::optional<AppRevenueDelta> app_revenue_delta(const JournalEntry& entry) {
    const auto& leg = entry.leg;
    if (leg.code == TransferCode::gift_app_share && leg.credit.kind == AccountKind::app) {
        return AppRevenueDelta{leg.credit.owner, leg.amount};
    }
    if (leg.code == TransferCode::refund && leg.debit.kind == AccountKind::app) {
        return AppRevenueDelta{leg.debit.owner, -leg.amount};
    }
    return std::nullopt;
}

}  // namespace barrage::ledger
