#include "purchase/catalogue_shelf.h"

#include <memory>
#include <utility>

#include "purchase/purchase_desk.h"

namespace barrage::purchase {

CatalogueShelf::CatalogueShelf(PurchaseDesk& desk, economy::GiftCatalogue operator_gifts)
    : desk_(desk), operator_gifts_(std::move(operator_gifts)) {}

Status CatalogueShelf::set_operator_gift(economy::GiftSpec spec) {
    if (economy::is_interactive_gift_id(spec.id)) {
        return make_error_code(Errc::bad_request);
    }
    MutexLock lock(mutex_);
    auto next = operator_gifts_.with(std::move(spec));
    if (!next) {
        return next.error();
    }
    return publish(std::move(*next), interactive_);
}

Status CatalogueShelf::set_interactive(std::vector<economy::GiftSpec> specs) {
    for (const auto& spec : specs) {
        if (!economy::is_interactive_gift_id(spec.id)) {
            return make_error_code(Errc::bad_request);
        }
    }
    MutexLock lock(mutex_);
    return publish(operator_gifts_, std::move(specs));
}

Status CatalogueShelf::publish(economy::GiftCatalogue operator_gifts, std::vector<economy::GiftSpec> interactive) {
    std::vector<economy::GiftSpec> merged(operator_gifts.specs().begin(), operator_gifts.specs().end());
    merged.insert(merged.end(), interactive.begin(), interactive.end());
    auto catalogue = economy::GiftCatalogue::make(std::move(merged));
    if (!catalogue) {
        return catalogue.error();
    }
    desk_.set_catalogue(std::make_shared<const economy::GiftCatalogue>(std::move(*catalogue)));
    operator_gifts_ = std::move(operator_gifts);
    interactive_ = std::move(interactive);
    return {};
}

}  // namespace barrage::purchase
