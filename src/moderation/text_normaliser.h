#pragma once

// The text a word list is matched against: what a message says once its disguises are taken
// off. Both the list's entries and the messages pass through the same normaliser, so an entry
// matches every spelling that normalises to the same string.
//
// Steps, per code point of the input (docs/moderation.md, "Word filter", has examples):
//   1. Unicode NFKC with case folding (ICU's NFKC_Casefold): full-width `ＡＢＣ` and
//      mathematical `𝐀` become `abc`/`a`, `ß` becomes `ss`; default-ignorable characters
//      (zero-width spaces and joiners, U+2060, U+FEFF, variation selectors, soft hyphen) vanish.
//   2. Traditional to simplified Chinese, character by character, from OpenCC's t2s tables:
//      `幹` becomes `干`. (Character by character, not phrase by phrase, so that every character
//      of the result still maps to exactly one character of the message.)
//   3. Only letters (of every script), digits and numbers, and spacing marks are kept:
//      separators, punctuation, symbols, emoji, controls and format characters are dropped
//      wherever they sit. A non-spacing mark is composed with the character before it when
//      Unicode has a composite (`e` + U+0301 = `é`), otherwise dropped (so strike-through and
//      "zalgo" marks do not hide a word).
//   4. Runs of the same letter collapse to one: `fuuuuck` becomes `fuck`, and also `good`
//      becomes `god`. List entries collapse the same way, so an entry always matches its own
//      spelling; the cost is that entry `god` also matches `good`. Runs of digits stay
//      (`13888888888`, `1000`): repeated digits carry meaning, and a number is rarely
//      stretched to disguise it.
//   Invalid UTF-8 bytes are dropped one at a time; the work is linear in the input's size.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/owner_thread.h"

namespace barrage::moderation {

// A normalised text and, for each of its bytes, the bytes of the original text it came from.
struct NormalisedText {
    std::string text;  // UTF-8
    // source_begin[i], source_end[i]: the byte range of the original text that produced byte i
    // of `text` (the whole code point, or several when a run collapsed or marks composed).
    std::vector<std::uint32_t> source_begin;
    std::vector<std::uint32_t> source_end;

    // The original byte range behind the normalised bytes [from, to); to > from.
    std::uint32_t original_begin(std::size_t from) const { return source_begin[from]; }
    std::uint32_t original_end(std::size_t to) const { return source_end[to - 1]; }
};

// Owner thread only (FilterScratch keeps one per thread; a list compiler keeps its own),
// checked where BARRAGE_OWNER_CHECKS is on: the first call binds it to its thread. Building the first normaliser in a
// process builds the shared, immutable folding tables from ICU and OpenCC (tens of
// milliseconds, once) and throws std::runtime_error when OpenCC's t2s data cannot be loaded:
// build one at start-up.
class TextNormaliser {
public:
    TextNormaliser();

    // The steps above applied to `utf8` (under 4 GiB: offsets are 32-bit).
    NormalisedText normalise(std::string_view utf8);
    // The same, into `out`, reusing its buffers (no allocation once they have grown).
    void normalise_into(std::string_view utf8, NormalisedText& out);

    // Lets the next call bind the owner check to its thread.
    void release_owner() { owner_.release(); }

private:
    // One code point of the normalised text before runs collapse.
    struct Unit {
        char32_t code_point;
        std::uint32_t source_begin;
        std::uint32_t source_end;
    };

    void fold(std::string_view utf8);
    void collapse_into(NormalisedText& out) const;

    OwnerThread owner_;
    std::vector<Unit> units_;  // reused between calls
};

}  // namespace barrage::moderation
