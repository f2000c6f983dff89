#pragma once

#include <vector>

#include "base/mutex.h"
#include "base/result.h"
#include "economy/gift_catalogue.h"

namespace barrage::purchase {

class PurchaseDesk;

// Where the live gift catalogue is put together: the operator's gifts (config, then the admin
// API) and the open platform's approved interactive gifts (read from the database), merged into
// one immutable snapshot published through PurchaseDesk::set_catalogue. Each change publishes a
// new snapshot at once; viewers' orders already under way keep the one they took.
//
// The two halves change from different threads (the admin API on a loop, reviews on the store
// pool), so a change and its publication happen under one lock: a snapshot never loses a
// change another thread made in between.
//
// Safe from any thread.
class CatalogueShelf {
public:
    // `operator_gifts`: the configured catalogue (ids below economy::kInteractiveGiftIdMin).
    CatalogueShelf(PurchaseDesk& desk, economy::GiftCatalogue operator_gifts);

    // Adds or replaces an operator's gift. Errc::bad_request for an id in the interactive range
    // or past kGiftsMax, else economy::validate's error; nothing changes then.
    Status set_operator_gift(economy::GiftSpec spec);
    // Replaces every interactive gift with `specs` (ids in the interactive range). When the
    // merged catalogue cannot be made (more than kGiftsMax gifts) nothing changes and the error
    // is answered.
    Status set_interactive(std::vector<economy::GiftSpec> specs);

private:
    // Makes and publishes the catalogue of `operator_gifts` and `interactive`; on success they
    // become this shelf's.
    Status publish(economy::GiftCatalogue operator_gifts, std::vector<economy::GiftSpec> interactive)
        BARRAGE_REQUIRES(mutex_);

    PurchaseDesk& desk_;
    Mutex mutex_;
    economy::GiftCatalogue operator_gifts_ BARRAGE_GUARDED_BY(mutex_);
    std::vector<economy::GiftSpec> interactive_ BARRAGE_GUARDED_BY(mutex_);
};

}  // namespace barrage::purchase
