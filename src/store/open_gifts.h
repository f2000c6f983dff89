#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "economy/gift_catalogue.h"
#include "store/database.h"
#include "store/open_apps.h"

namespace barrage::store {

// Interactive gifts one app may hold, drafts and rejected ones included: a game sells a handful
// (Bilibili's interactive games show four to eight); 50 leaves room for seasons, and bounds
// what one developer adds to the review queue and to every catalogue snapshot.
inline constexpr std::size_t kGiftsPerAppMax = 50;

// An app's interactive gift. Its review goes as an app's does (next_status() in
// store/open_apps.h): a draft is submitted, an operator approves or rejects it, an edit of an
// approved gift makes it a draft again. Viewers may send it while it and its app are approved.
struct OpenGift {
    std::int64_t gift_id = 0;  // the row; the catalogue's id is catalogue_id()
    std::int64_t app_id = 0;
    std::string name{};
    economy::Coins price = 0;
    std::int64_t asset_id = 0;         // its icon, from the asset library
    std::int64_t effect_asset_id = 0;  // its full-screen effect; 0 = not animated
    bool comboable = true;
    AppStatus status = AppStatus::draft;
    std::string reject_reason{};  // the operator's, while rejected
    Millis submitted_ms = 0;

    std::uint64_t catalogue_id() const { return economy::kInteractiveGiftIdMin + static_cast<std::uint64_t>(gift_id); }
};

// A developer's new gift (gift_id 0) or edit of one; the HTTP layer checks the fields against
// the catalogue's limits (economy::validate) before.
struct GiftDraft {
    std::int64_t app_id = 0;
    std::int64_t gift_id = 0;
    UserId actor{};
    std::string name{};
    economy::Coins price = 0;
    std::int64_t asset_id = 0;
    std::int64_t effect_asset_id = 0;
    bool comboable = true;
};

// An operator's decision on a gift; a reason is required to reject (the HTTP layer checks it).
struct GiftReview {
    std::int64_t gift_id = 0;
    UserId actor{};
    bool approve = false;
    std::string reason{};
};

// The open_gifts table, with an open_audit row (app_id: the gift's app) for every change, in the
// same transaction. Blocking; the store pool or start-up only.
class OpenGifts {
public:
    OpenGifts(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    // A new draft: Errc::gifts_limit when the app holds kGiftsPerAppMax, Errc::unknown_asset
    // when an asset id names nothing in the library.
    Result<OpenGift> create_draft(const GiftDraft& draft);
    // The review lifecycle: each answers the gift as it is now, or Errc::unknown_gift,
    // Errc::wrong_app_status (the gift's status does not allow the step), Errc::unknown_asset.
    Result<OpenGift> edit(const GiftDraft& draft);
    Result<OpenGift> submit(std::int64_t gift_id, UserId actor);
    Result<OpenGift> review(const GiftReview& review);

    std::optional<OpenGift> find(std::int64_t gift_id);
    // The app's gifts, oldest first.
    Result<std::vector<OpenGift>> gifts_of(std::int64_t app_id);
    // Gifts in review, oldest submission first, at most `limit`.
    Result<std::vector<OpenGift>> review_queue(std::size_t limit);

    // What the catalogue sells of the open platform: every approved gift of an approved app,
    // its art as the asset library's URLs, ordered by id.
    Result<std::vector<economy::GiftSpec>> catalogue_specs();

private:
    template <class Change>
    Result<OpenGift> step(std::int64_t gift_id, AppStep step, UserId actor, std::string_view detail, Change change);
    // Errc::unknown_asset unless the draft's assets are in the library.
    Status check_assets(const GiftDraft& draft);
    Status audit(UserId actor, AppStep step, const OpenGift& gift, std::string_view detail);

    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
