#pragma once

#include <memory>

#include "base/ids.h"

namespace barrage::room {

// Hands out one room's sequence numbers, 1, 2, 3, …, with no gap and no repeat: what a client
// resumes from (last_seq) and what the history is ordered by. The Room asks it in one place
// (stamping a sequenced message) and nowhere else. Today every room counts for itself
// (LocalSequencer, on the room's home loop). Across nodes the room keeps one home, which owns
// its sequence (docs/architecture.md, "Two nodes"); moving a room to another node would mean a
// Sequencer that continues from the shared store where the old home stopped.
class Sequencer {
public:
    virtual ~Sequencer() = default;
    // The next number. Home loop only.
    virtual Sequence next() = 0;
    // The last number given (0 before the first): where the room's history starts.
    virtual Sequence last() const = 0;
};

class LocalSequencer final : public Sequencer {
public:
    // `after`: the last number already given (0 for a new room).
    explicit LocalSequencer(Sequence after = 0) : last_(after) {}
    Sequence next() override { return ++last_; }
    Sequence last() const override { return last_; }

private:
    Sequence last_;
};

}  // namespace barrage::room
