#pragma once

// Screening one message against the word lists that apply to it (the site's, the room's).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/owner_thread.h"
#include "moderation/text_normaliser.h"
#include "moderation/word_list.h"

struct hs_scratch;

namespace barrage::moderation {

struct FilterVerdict {
    bool blocked = false;  // a block entry matched: the message must not go out
    bool masked = false;   // mask entries matched (and nothing blocked): `text` has stars
    // The text to send: the original, with each code point a mask entry matched replaced by
    // '*' (separators inside the match included). When blocked, the original unchanged.
    std::string text;
    std::string matched;  // when blocked: the blocking entry's pattern, for the audit log
};

// A thread's working memory for screen(): its normaliser, reusable buffers and a Vectorscan
// scratch grown to fit every list it has scanned. Owner thread only (one per sending thread),
// checked where BARRAGE_OWNER_CHECKS is on: the first screen() binds it to its thread.
class FilterScratch {
public:
    FilterScratch();
    ~FilterScratch();
    FilterScratch(const FilterScratch&) = delete;
    FilterScratch& operator=(const FilterScratch&) = delete;

    TextNormaliser& normaliser() { return normaliser_; }
    // Lets the next screen() bind the owner check to its thread (a scratch built and tried on
    // the main thread, then handed to a loop).
    void release_owner() {
        owner_.release();
        normaliser_.release_owner();
    }

private:
    friend struct ScreenPass;
    friend FilterVerdict screen(std::string_view, std::span<const WordList* const>, FilterScratch&);

    // Grows the scratch to fit `list`'s databases, once per list.
    void fit(const WordList& list);

    OwnerThread owner_;
    TextNormaliser normaliser_;
    hs_scratch* scratch_ = nullptr;
    std::vector<std::uint64_t> fitted_;  // serials of the lists the scratch fits, bounded
    NormalisedText normalised_;
    std::vector<std::int32_t> mask_depth_;  // per original byte + 1: mask ranges opening/closing
};

// Screens `text` (UTF-8; invalid bytes are tolerated) against `lists` (null entries skipped).
// A block hit in any list wins over every mask hit. With no non-empty list, `text` comes back
// unchanged without being normalised.
FilterVerdict screen(std::string_view text, std::span<const WordList* const> lists, FilterScratch& scratch);

}  // namespace barrage::moderation
