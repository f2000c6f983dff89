#include "moderation/word_list.h"

#include <atomic>
#include <charconv>
#include <optional>
#include <unordered_map>

#include <hs/hs.h>

#include "base/utf8.h"

namespace barrage::moderation {

namespace {

std::atomic<std::uint64_t> next_serial{1};

struct CompileErrorFree {
    void operator()(hs_compile_error_t* error) const { hs_free_compile_error(error); }
};
using CompileError = std::unique_ptr<hs_compile_error_t, CompileErrorFree>;

// Vectorscan says where a regex went wrong as "... at index N ..." when it knows.
std::size_t position_in(std::string_view message) {
    constexpr std::string_view kMarker = "index ";
    const auto found = message.find(kMarker);
    if (found == std::string_view::npos) return 0;
    std::size_t position = 0;
    const char* first = message.data() + found + kMarker.size();
    std::from_chars(first, message.data() + message.size(), position);
    return position;
}

// The reason `entry` cannot be listed before compiling, or an empty string.
std::string check_pattern(const WordEntry& entry) {
    if (entry.pattern.empty()) return "empty pattern";
    if (entry.pattern.size() > kWordPatternBytesMax) {
        return "pattern is " + std::to_string(entry.pattern.size()) + " bytes; at most " +
               std::to_string(kWordPatternBytesMax);
    }
    if (!utf8_code_points(entry.pattern)) return "pattern is not valid UTF-8";
    if (entry.regex && entry.pattern.find('\0') != std::string::npos) return "regex contains a NUL byte";
    return {};
}

// Regex entries' compile inputs, ids being entry indexes.
struct RegexSet {
    std::vector<const char*> patterns;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
};

// True when `pattern` compiles once start-of-match tracking is not asked for.
bool compiles_without_som(const char* pattern, unsigned flags) {
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    const auto status = hs_compile(pattern, flags & ~HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK, nullptr, &database, &error);
    CompileError owned_error(error);
    hs_free_database(database);
    return status == HS_SUCCESS;
}

WordListError compile_error(hs_compile_error_t* raw, const std::vector<unsigned>& ids, const RegexSet* regexes) {
    const CompileError error(raw);
    WordListError result;
    result.message = error && error->message ? error->message : "Vectorscan compile failed";
    const int index = error ? error->expression : -1;
    if (index < 0 || static_cast<std::size_t>(index) >= ids.size()) return result;
    const auto at = static_cast<std::size_t>(index);
    result.entry = ids[at];
    result.position = position_in(result.message);
    if (regexes != nullptr && (regexes->flags[at] & HS_FLAG_SOM_LEFTMOST) != 0 &&
        compiles_without_som(regexes->patterns[at], regexes->flags[at])) {
        result.message +=
            " (a mask regex needs its start of match, which Vectorscan cannot track for this "
            "pattern; make it a block entry or simplify it)";
    }
    return result;
}

// Compiles the normalised literals (ids: entry indexes) into `database`; the error, if any.
std::optional<WordListError> compile_literals(const std::vector<std::string>& literals,
                                              const std::vector<unsigned>& ids, hs_database_t*& database) {
    if (literals.empty()) return std::nullopt;
    std::vector<const char*> pointers;
    std::vector<std::size_t> lengths;
    for (const auto& literal : literals) {
        pointers.push_back(literal.data());
        lengths.push_back(literal.size());
    }
    const std::vector<unsigned> flags(literals.size(), 0);
    hs_compile_error_t* error = nullptr;
    if (hs_compile_lit_multi(pointers.data(), flags.data(), ids.data(), lengths.data(),
                             static_cast<unsigned>(literals.size()), HS_MODE_BLOCK, nullptr, &database,
                             &error) != HS_SUCCESS) {
        return compile_error(error, ids, nullptr);
    }
    return std::nullopt;
}

// Compiles the regex entries into `database`; the error, if any.
std::optional<WordListError> compile_regexes(const RegexSet& regexes, hs_database_t*& database) {
    if (regexes.patterns.empty()) return std::nullopt;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(regexes.patterns.data(), regexes.flags.data(), regexes.ids.data(),
                         static_cast<unsigned>(regexes.patterns.size()), HS_MODE_BLOCK, nullptr, &database,
                         &error) != HS_SUCCESS) {
        return compile_error(error, regexes.ids, &regexes);
    }
    return std::nullopt;
}

}  // namespace

WordListResult WordList::compile(std::vector<WordEntry> entries, TextNormaliser& normaliser) {
    if (entries.size() > kWordEntriesMax) {
        return WordListError{kWordEntriesMax, 0, "more than " + std::to_string(kWordEntriesMax) + " entries"};
    }
    std::shared_ptr<WordList> list(new WordList());
    list->literal_bytes_.assign(entries.size(), 0);
    std::vector<std::string> literals;
    std::vector<unsigned> literal_ids;
    std::unordered_map<std::string, std::size_t> literal_index;  // normalised literal → index in literals
    RegexSet regexes;
    NormalisedText normalised;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const WordEntry& entry = entries[i];
        if (auto reason = check_pattern(entry); !reason.empty()) return WordListError{i, 0, std::move(reason)};
        if (entry.regex) {
            unsigned flags = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_CASELESS;
            if (entry.action == WordAction::mask) flags |= HS_FLAG_SOM_LEFTMOST;
            if (regexes.patterns.size() == kWordRegexesMax) {
                return WordListError{i, 0, "more than " + std::to_string(kWordRegexesMax) + " regex entries"};
            }
            regexes.patterns.push_back(entry.pattern.c_str());
            regexes.flags.push_back(flags);
            regexes.ids.push_back(static_cast<unsigned>(i));
            continue;
        }
        normaliser.normalise_into(entry.pattern, normalised);
        if (normalised.text.empty()) return WordListError{i, 0, "pattern has no letters or digits"};
        list->literal_bytes_[i] = static_cast<std::uint32_t>(normalised.text.size());
        // Entries that normalise alike are compiled once (Vectorscan takes seconds over
        // thousands of copies of one literal); a block entry among them wins.
        const auto [found, fresh] = literal_index.try_emplace(normalised.text, literals.size());
        if (fresh) {
            literals.push_back(normalised.text);
            literal_ids.push_back(static_cast<unsigned>(i));
        } else if (entry.action == WordAction::block &&
                   entries[literal_ids[found->second]].action != WordAction::block) {
            literal_ids[found->second] = static_cast<unsigned>(i);
        }
    }
    if (auto error = compile_literals(literals, literal_ids, list->literal_database_)) return std::move(*error);
    if (auto error = compile_regexes(regexes, list->regex_database_)) return std::move(*error);
    list->entries_ = std::move(entries);
    list->serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
    return std::shared_ptr<const WordList>(std::move(list));
}

WordList::~WordList() {
    hs_free_database(literal_database_);
    hs_free_database(regex_database_);
}

}  // namespace barrage::moderation
