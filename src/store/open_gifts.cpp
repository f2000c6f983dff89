#include "store/open_gifts.h"

#include <fmt/format.h>

#include "asset/image_header.h"
#include "store/gift_assets.h"
#include "store/open_audit.h"
#include "store/transaction.h"

namespace barrage::store {

namespace {

constexpr std::string_view kSelectGift =
    "SELECT gift_id, app_id, name, price, asset_id, effect_asset_id, comboable, status, reject_reason, "
    "submitted_ms FROM open_gifts ";

OpenGift gift_of_row(const Database::Statement& statement) {
    OpenGift gift;
    gift.gift_id = statement.column_int(0);
    gift.app_id = statement.column_int(1);
    gift.name = statement.column_text(2);
    gift.price = statement.column_int(3);
    gift.asset_id = statement.column_int(4);
    gift.effect_asset_id = statement.column_int(5);
    gift.comboable = statement.column_int(6) != 0;
    gift.status = parse_app_status(statement.column_text(7)).value_or(AppStatus::draft);
    gift.reject_reason = statement.column_text(8);
    gift.submitted_ms = statement.column_int(9);
    return gift;
}

Result<std::vector<OpenGift>> read_gifts(Database::Statement& statement) {
    std::vector<OpenGift> gifts;
    auto read = statement.each_row([&] {
        gifts.push_back(gift_of_row(statement));
        return true;
    });
    if (!read) {
        return read.error();
    }
    return gifts;
}

std::string_view action_of(AppStep step) {
    switch (step) {
        case AppStep::edit: return audit_action::gift_edited;
        case AppStep::submit: return audit_action::gift_submitted;
        case AppStep::approve: return audit_action::gift_approved;
        case AppStep::reject: return audit_action::gift_rejected;
    }
    return audit_action::gift_edited;
}

Status run(Database::Statement& statement) {
    auto done = statement.step();
    return done ? Status{} : Status(done.error());
}

// "/assets/<sha256>.<ext>" from a row's two columns, or "" when the asset is missing.
std::string url_of(const std::string& sha256, const std::string& type) {
    auto parsed = asset::type_of_extension(type);
    if (sha256.empty() || !parsed) {
        return {};
    }
    return GiftAsset{.sha256 = sha256, .type = *parsed}.url();
}

}  // namespace

Status OpenGifts::audit(UserId actor, AppStep step, const OpenGift& gift, std::string_view detail) {
    return OpenAudit(database_, clock_)
        .write({.actor = actor,
                .action = std::string(action_of(step)),
                .app_id = gift.app_id,
                .detail = fmt::format("gift {}: {}", gift.catalogue_id(), detail)});
}

Status OpenGifts::check_assets(const GiftDraft& draft) {
    GiftAssets assets(database_, clock_, {});
    if (!assets.find(draft.asset_id) || (draft.effect_asset_id != 0 && !assets.find(draft.effect_asset_id))) {
        return make_error_code(Errc::unknown_asset);
    }
    return {};
}

Result<OpenGift> OpenGifts::create_draft(const GiftDraft& draft) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    if (auto checked = check_assets(draft); !checked) {
        return checked.error();
    }
    {
        Database::Statement count(database_, "SELECT COUNT(*) FROM open_gifts WHERE app_id = ?");
        count.bind(1, draft.app_id);
        auto row = count.step();
        if (!row || !*row) {
            return row ? make_error_code(Errc::internal) : row.error();
        }
        if (count.column_int(0) >= static_cast<std::int64_t>(kGiftsPerAppMax)) {
            return make_error_code(Errc::gifts_limit);
        }
    }
    OpenGift gift{.gift_id = 0,
                  .app_id = draft.app_id,
                  .name = draft.name,
                  .price = draft.price,
                  .asset_id = draft.asset_id,
                  .effect_asset_id = draft.effect_asset_id,
                  .comboable = draft.comboable};
    Database::Statement insert(database_,
                               "INSERT INTO open_gifts (app_id, name, price, asset_id, effect_asset_id, comboable, "
                               "status, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING gift_id");
    insert.bind(1, gift.app_id)
        .bind(2, gift.name)
        .bind(3, gift.price)
        .bind(4, gift.asset_id)
        .bind(5, gift.effect_asset_id)
        .bind(6, std::int64_t{gift.comboable ? 1 : 0})
        .bind(7, to_string(gift.status))
        .bind(8, clock_.wall_ms());
    auto row = insert.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    gift.gift_id = insert.column_int(0);
    insert.reset();
    // Past the last id that fits the catalogue's range: refused rather than wrapped (2^31 - 10^9
    // gifts later).
    if (gift.catalogue_id() > economy::kInteractiveGiftIdMax) {
        return make_error_code(Errc::gifts_limit);
    }
    if (auto audited = OpenAudit(database_, clock_)
                           .write({.actor = draft.actor,
                                   .action = std::string(audit_action::gift_created),
                                   .app_id = gift.app_id,
                                   .detail = fmt::format("gift {}: {}", gift.catalogue_id(), gift.name)});
        !audited) {
        return audited.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return gift;
}

template <class Change>
Result<OpenGift> OpenGifts::step(std::int64_t gift_id, AppStep step, UserId actor, std::string_view detail,
                                 Change change) {
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    auto gift = find(gift_id);
    if (!gift) {
        return make_error_code(Errc::unknown_gift);
    }
    auto next = next_status(gift->status, step);
    if (!next) {
        return next.error();
    }
    change(*gift);
    gift->status = *next;
    Database::Statement update(database_,
                               "UPDATE open_gifts SET name = ?, price = ?, asset_id = ?, effect_asset_id = ?, "
                               "comboable = ?, status = ?, reject_reason = ?, submitted_ms = ? WHERE gift_id = ?");
    update.bind(1, gift->name)
        .bind(2, gift->price)
        .bind(3, gift->asset_id)
        .bind(4, gift->effect_asset_id)
        .bind(5, std::int64_t{gift->comboable ? 1 : 0})
        .bind(6, to_string(gift->status))
        .bind(7, gift->reject_reason)
        .bind(8, gift->submitted_ms)
        .bind(9, gift_id);
    if (auto updated = run(update); !updated) {
        return updated.error();
    }
    if (auto audited = audit(actor, step, *gift, detail); !audited) {
        return audited.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return std::move(*gift);
}

Result<OpenGift> OpenGifts::edit(const GiftDraft& draft) {
    if (auto checked = check_assets(draft); !checked) {
        return checked.error();
    }
    return step(draft.gift_id, AppStep::edit, draft.actor, draft.name, [&draft](OpenGift& gift) {
        gift.name = draft.name;
        gift.price = draft.price;
        gift.asset_id = draft.asset_id;
        gift.effect_asset_id = draft.effect_asset_id;
        gift.comboable = draft.comboable;
    });
}

Result<OpenGift> OpenGifts::submit(std::int64_t gift_id, UserId actor) {
    return step(gift_id, AppStep::submit, actor, "submitted", [this](OpenGift& gift) {
        gift.reject_reason.clear();
        gift.submitted_ms = clock_.wall_ms();
    });
}

Result<OpenGift> OpenGifts::review(const GiftReview& review) {
    const auto taken = review.approve ? AppStep::approve : AppStep::reject;
    return step(review.gift_id, taken, review.actor, review.reason,
                [&review](OpenGift& gift) { gift.reject_reason = review.approve ? std::string() : review.reason; });
}

std::optional<OpenGift> OpenGifts::find(std::int64_t gift_id) {
    Database::Statement select(database_, std::string(kSelectGift) + "WHERE gift_id = ?");
    select.bind(1, gift_id);
    auto row = select.step();
    if (!row || !*row) {
        return std::nullopt;
    }
    return gift_of_row(select);
}

Result<std::vector<OpenGift>> OpenGifts::gifts_of(std::int64_t app_id) {
    Database::Statement select(database_, std::string(kSelectGift) + "WHERE app_id = ? ORDER BY gift_id");
    select.bind(1, app_id);
    return read_gifts(select);
}

Result<std::vector<OpenGift>> OpenGifts::review_queue(std::size_t limit) {
    Database::Statement select(
        database_, std::string(kSelectGift) + "WHERE status = 'in_review' ORDER BY submitted_ms, gift_id LIMIT ?");
    select.bind(1, static_cast<std::int64_t>(limit));
    return read_gifts(select);
}

Result<std::vector<economy::GiftSpec>> OpenGifts::catalogue_specs() {
    Database::Statement select(database_,
                               "SELECT g.gift_id, g.app_id, g.name, g.price, g.comboable, a.sha256, a.type, "
                               "COALESCE(e.sha256, ''), COALESCE(e.type, '') FROM open_gifts g "
                               "JOIN open_apps p ON p.app_id = g.app_id JOIN gift_assets a ON a.asset_id = g.asset_id "
                               "LEFT JOIN gift_assets e ON e.asset_id = g.effect_asset_id "
                               "WHERE g.status = 'approved' AND p.status = 'approved' ORDER BY g.gift_id");
    std::vector<economy::GiftSpec> specs;
    auto read = select.each_row([&] {
        OpenGift gift{.gift_id = select.column_int(0)};
        economy::GiftSpec spec;
        spec.id = gift.catalogue_id();
        spec.app_id = static_cast<std::uint64_t>(select.column_int(1));
        spec.name = select.column_text(2);
        spec.price = select.column_int(3);
        spec.comboable = select.column_int(4) != 0;
        spec.icon_url = url_of(select.column_text(5), select.column_text(6));
        spec.effect_url = url_of(select.column_text(7), select.column_text(8));
        spec.animated = !spec.effect_url.empty();
        specs.push_back(std::move(spec));
        return true;
    });
    if (!read) {
        return read.error();
    }
    return specs;
}

}  // namespace barrage::store
