#pragma once

// A bot's auto-reply triggers (keywords and regexes a danmaku can match), compiled once into
// one Vectorscan database and then only read. A changed set is compiled off the hot path and
// swapped in whole, like a word list.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "base/owner_thread.h"

struct hs_database;
struct hs_scratch;

namespace barrage::bot {

// Triggers in one matcher. A bot answers a handful of keywords; 50 keeps the compile of a
// set well under a second even when many are regexes.
inline constexpr std::size_t kTriggersMax = 50;
// Regex triggers in one matcher. Regexes cost the compiler far more than literals (see
// moderation/word_list.h: 1,000 simple ones took 1.6 s on the 2-core VM); a room owner edits
// these, so the bound keeps one edit's compile in the milliseconds.
inline constexpr std::size_t kRegexTriggersMax = 20;
// Bytes in one pattern. Keywords are short; 100 bytes is 33 CJK characters, and it bounds the
// regex compiler's work per trigger.
inline constexpr std::size_t kTriggerBytesMax = 100;
// Bytes of a message that are scanned. Danmaku are short (a few dozen bytes); the bound keeps
// one scan's work fixed whatever a caller hands in. A longer text is cut at a code point
// boundary at or before this many bytes.
inline constexpr std::size_t kMatchTextBytesMax = 4096;

enum class MatchKind : std::uint8_t {
    exact,     // the whole message (trimmed of ASCII whitespace) is the pattern, ignoring case
    contains,  // the pattern appears anywhere in the message, ignoring case
    regex,     // a Vectorscan regex (UTF-8, Unicode classes, caseless) finds a match
};

// "exact", "contains", "regex".
std::string_view to_string(MatchKind kind);
std::optional<MatchKind> parse_match_kind(std::string_view text);

struct Trigger {
    MatchKind kind = MatchKind::contains;
    std::string pattern;  // UTF-8
};

// Why a set of triggers did not compile.
struct MatcherError {
    std::size_t trigger = 0;   // index into the triggers given to compile()
    std::size_t position = 0;  // byte in that trigger's pattern, when known; otherwise 0
    std::string message;
};

// Lets boost::system::result<T, MatcherError>::value() report an error it was called on.
[[noreturn]] inline void throw_exception_from_error(const MatcherError& error, const boost::source_location&) {
    throw std::invalid_argument("trigger " + std::to_string(error.trigger) + ": " + error.message);
}

class ReplyMatcher;
using MatcherResult = boost::system::result<std::shared_ptr<const ReplyMatcher>, MatcherError>;

// A thread's (or a room's) Vectorscan scratch for ReplyMatcher::matches(), grown to fit each
// matcher it has scanned with. Owner thread only (a scratch serves one scan at a time),
// checked where BARRAGE_OWNER_CHECKS is on: the first matches() binds it to its thread.
class MatchScratch {
public:
    MatchScratch();
    ~MatchScratch();
    MatchScratch(const MatchScratch&) = delete;
    MatchScratch& operator=(const MatchScratch&) = delete;

    // Lets the next matches() bind the owner check to its thread (a scratch built on the main
    // thread, then handed to a loop).
    void release_owner() { owner_.release(); }

private:
    friend class ReplyMatcher;

    // Grows the scratch to fit `matcher`'s database, once per matcher.
    void fit(const ReplyMatcher& matcher);

    OwnerThread owner_;
    hs_scratch* scratch_ = nullptr;
    std::vector<std::uint64_t> fitted_;  // serials of the matchers the scratch fits, bounded
};

// An immutable compiled set of triggers. Safe from any thread: matching only reads the
// database; each thread brings its own MatchScratch.
class ReplyMatcher {
public:
    // Compiles `triggers` (at most kTriggersMax, of which at most kRegexTriggersMax regexes).
    // Refused: an empty pattern, one over kTriggerBytesMax bytes or not valid UTF-8, an exact
    // pattern of whitespace only, a regex with a NUL byte, and a regex Vectorscan rejects —
    // including one that can match empty text. No triggers: a matcher that never matches.
    static MatcherResult compile(std::vector<Trigger> triggers);

    ~ReplyMatcher();
    ReplyMatcher(const ReplyMatcher&) = delete;
    ReplyMatcher& operator=(const ReplyMatcher&) = delete;

    // Clears `out` and fills it with the index of every trigger `text` matches, ascending.
    // `text` is trimmed of ASCII whitespace and cut to kMatchTextBytesMax bytes first; text
    // that is not valid UTF-8 matches nothing (Vectorscan's UTF-8 mode is undefined on it).
    void matches(std::string_view text, MatchScratch& scratch, std::vector<std::uint32_t>& out) const;

    // The triggers as given to compile(), for listing.
    const std::vector<Trigger>& triggers() const { return triggers_; }

private:
    friend class MatchScratch;
    ReplyMatcher() = default;

    std::vector<Trigger> triggers_;
    hs_database* database_ = nullptr;  // null when there are no triggers; ids are indexes
    std::uint64_t serial_ = 0;         // no other matcher in this process has it
};

}  // namespace barrage::bot
