#pragma once

// A room's (or the site's) list of forbidden words, compiled once into Vectorscan databases
// and then only read. A new list is compiled off the hot path and swapped in whole: the
// sending threads keep using the snapshot they hold until they pick up the new pointer.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

#include "moderation/text_normaliser.h"

struct hs_database;

namespace barrage::moderation {

// Entries in one list. Compiling 20,000 literals takes well under a second and the database
// stays a few MiB; a list past that is a mistake or an attack on the compiler, not moderation.
inline constexpr std::size_t kWordEntriesMax = 20'000;
// Regex entries in one list. Regexes cost the compiler far more than literals: on the 2-core
// development VM 1,000 simple regexes took 1.6 s (2.5 s as mask entries, which track their
// start) and 5,000 mask regexes 66 s. Real lists hold a few dozen.
inline constexpr std::size_t kWordRegexesMax = 500;
// Bytes in one pattern. Words and phrases are short; 100 bytes is 33 CJK characters, and it
// bounds the regex compiler's work per entry.
inline constexpr std::size_t kWordPatternBytesMax = 100;

enum class WordAction {
    block,  // the message is refused
    mask,   // the matched code points are replaced by '*' and the message goes out
};

struct WordEntry {
    std::string pattern;  // UTF-8
    WordAction action = WordAction::block;
    // false: a literal, normalised like the messages. true: a Vectorscan regex, compiled as
    // given (UTF-8, Unicode classes, caseless) and matched against the normalised message.
    bool regex = false;
};

// Why a list did not compile.
struct WordListError {
    std::size_t entry = 0;     // index into the entries given to compile()
    std::size_t position = 0;  // byte in that entry's pattern, when known; otherwise 0
    std::string message;
};

// Lets boost::system::result<T, WordListError>::value() report an error it was called on.
[[noreturn]] inline void throw_exception_from_error(const WordListError& error, const boost::source_location&) {
    throw std::invalid_argument("word list entry " + std::to_string(error.entry) + ": " + error.message);
}

class WordList;
using WordListResult = boost::system::result<std::shared_ptr<const WordList>, WordListError>;

// An immutable compiled list. Safe from any thread: scanning only reads the databases; each
// thread brings its own scratch (FilterScratch).
class WordList {
public:
    // Compiles `entries` (at most kWordEntriesMax, of which at most kWordRegexesMax regexes). Refused: an empty pattern, a pattern over
    // kWordPatternBytesMax bytes or not valid UTF-8, a literal that normalises to nothing
    // (punctuation only), and a regex Vectorscan rejects — including one that can match empty
    // text, and a mask regex whose start Vectorscan cannot track (SOM).
    static WordListResult compile(std::vector<WordEntry> entries, TextNormaliser& normaliser);

    ~WordList();
    WordList(const WordList&) = delete;
    WordList& operator=(const WordList&) = delete;

    // The entries as given to compile(), for listing.
    const std::vector<WordEntry>& entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

    // For screen(): the databases (null when the list has no literals or no regexes; their ids
    // are entry indexes), the normalised byte length of each literal entry (0 for regexes), and
    // a number no other list in this process has, to grow each scratch once per list.
    const hs_database* literal_database() const { return literal_database_; }
    const hs_database* regex_database() const { return regex_database_; }
    std::size_t literal_bytes(std::size_t entry) const { return literal_bytes_[entry]; }
    std::uint64_t serial() const { return serial_; }

private:
    WordList() = default;

    std::vector<WordEntry> entries_;
    std::vector<std::uint32_t> literal_bytes_;
    hs_database* literal_database_ = nullptr;
    hs_database* regex_database_ = nullptr;
    std::uint64_t serial_ = 0;
};

}  // namespace barrage::moderation
