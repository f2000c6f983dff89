#pragma once

#include <string>

#include "base/ids.h"
#include "base/result.h"

namespace barrage::ledger {

// A note the caller adds to an order's idempotency record after the order's first answer: what
// that answer said beyond the receipt (the room event's sequence and combo, say), so that a
// retry can be answered in full. The ledger stores it as given and hands it back with every
// replayed receipt (Receipt::annotation). The first note stays: later ones change nothing.
struct Annotation {
    UserId scope;  // the order's scope and request id
    std::string request_id;
    std::string text;  // 1..kAnnotationBytesMax bytes, opaque to the ledger
};

// Errc::bad_request for an invalid request id or a text that is empty or too long.
Status check_annotation(const Annotation& annotation);

}  // namespace barrage::ledger
