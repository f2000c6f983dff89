#include "bot/reply_matcher.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <new>

#include <hs/hs.h>

#include "base/assert.h"
#include "base/utf8.h"

namespace barrage::bot {

namespace {

std::atomic<std::uint64_t> next_serial{1};

// Matchers a scratch remembers fitting; past this it forgets them and checks each again (a
// cheap hs_alloc_scratch that finds the scratch already big enough).
constexpr std::size_t kFittedMatchersMax = 64;

constexpr unsigned kFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SINGLEMATCH;

struct CompileErrorFree {
    void operator()(hs_compile_error_t* error) const { hs_free_compile_error(error); }
};
using CompileError = std::unique_ptr<hs_compile_error_t, CompileErrorFree>;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_space(text.back()))
        text.remove_suffix(1);
    return text;
}

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

// `literal` as a regex matching exactly those bytes. Every ASCII punctuation byte gets a
// backslash, which PCRE syntax reads as "this character itself" whatever it is; control bytes
// are written \xHH because a NUL cannot sit in the C string Vectorscan takes. Bytes >= 0x80
// are parts of UTF-8 code points and stay as they are.
std::string escape(std::string_view literal) {
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(literal.size() * 2);
    for (const char c : literal) {
        const auto byte = static_cast<unsigned char>(c);
        const bool alphanumeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (alphanumeric || byte >= 0x80) {
            out.push_back(c);
        } else if (byte < 0x20 || byte == 0x7f) {
            out += "\\x";
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xf]);
        } else {
            out.push_back('\\');
            out.push_back(c);
        }
    }
    return out;
}

// The reason `trigger` cannot be compiled, found before Vectorscan sees it, or an empty string.
std::string check_pattern(const Trigger& trigger) {
    if (trigger.pattern.empty()) return "empty pattern";
    if (trigger.pattern.size() > kTriggerBytesMax) {
        return "pattern is " + std::to_string(trigger.pattern.size()) + " bytes; at most " +
               std::to_string(kTriggerBytesMax);
    }
    if (!utf8_code_points(trigger.pattern)) return "pattern is not valid UTF-8";
    if (trigger.kind == MatchKind::exact && trim(trigger.pattern).empty()) {
        return "an exact pattern of whitespace only can never match: messages are trimmed";
    }
    if (trigger.kind == MatchKind::regex && trigger.pattern.find('\0') != std::string::npos) {
        return "regex contains a NUL byte";
    }
    return {};
}

// The expression Vectorscan compiles for `trigger`. Exact patterns are trimmed as messages
// are, so " hello " still matches "hello".
std::string expression(const Trigger& trigger) {
    switch (trigger.kind) {
        case MatchKind::exact: return "^" + escape(trim(trigger.pattern)) + "$";
        case MatchKind::contains: return escape(trigger.pattern);
        case MatchKind::regex: return trigger.pattern;
    }
    BARRAGE_ASSERT(false);
    return {};
}

MatcherError compile_error(hs_compile_error_t* raw, const std::vector<Trigger>& triggers) {
    const CompileError error(raw);
    MatcherError result;
    result.message = error && error->message ? error->message : "Vectorscan compile failed";
    const int index = error ? error->expression : -1;
    if (index < 0 || static_cast<std::size_t>(index) >= triggers.size()) return result;
    result.trigger = static_cast<std::size_t>(index);
    // Positions in an escaped literal's expression do not map back to its pattern.
    if (triggers[result.trigger].kind == MatchKind::regex) result.position = position_in(result.message);
    return result;
}

// The part of `text` a scan reads: trimmed, then cut to kMatchTextBytesMax bytes without
// splitting a UTF-8 sequence.
std::string_view scanned_part(std::string_view text) {
    text = trim(text);
    if (text.size() <= kMatchTextBytesMax) return text;
    std::size_t cut = kMatchTextBytesMax;
    // A UTF-8 sequence has at most 3 continuation bytes.
    for (int back = 0; back < 3 && (static_cast<unsigned char>(text[cut]) & 0xc0U) == 0x80U; ++back)
        --cut;
    return text.substr(0, cut);
}

int on_match(unsigned id, unsigned long long, unsigned long long, unsigned, void* context) {
    static_cast<std::vector<std::uint32_t>*>(context)->push_back(id);
    return 0;
}

}  // namespace

std::string_view to_string(MatchKind kind) {
    switch (kind) {
        case MatchKind::exact: return "exact";
        case MatchKind::contains: return "contains";
        case MatchKind::regex: return "regex";
    }
    BARRAGE_ASSERT(false);
    return {};
}

std::optional<MatchKind> parse_match_kind(std::string_view text) {
    for (const auto kind : {MatchKind::exact, MatchKind::contains, MatchKind::regex}) {
        if (text == to_string(kind)) return kind;
    }
    return std::nullopt;
}

MatcherResult ReplyMatcher::compile(std::vector<Trigger> triggers) {
    if (triggers.size() > kTriggersMax) {
        return MatcherError{kTriggersMax, 0, "more than " + std::to_string(kTriggersMax) + " triggers"};
    }
    std::shared_ptr<ReplyMatcher> matcher(new ReplyMatcher());
    std::vector<std::string> expressions;
    std::size_t regexes = 0;
    for (std::size_t i = 0; i < triggers.size(); ++i) {
        if (auto reason = check_pattern(triggers[i]); !reason.empty()) return MatcherError{i, 0, std::move(reason)};
        if (triggers[i].kind == MatchKind::regex && ++regexes > kRegexTriggersMax) {
            return MatcherError{i, 0, "more than " + std::to_string(kRegexTriggersMax) + " regex triggers"};
        }
        expressions.push_back(expression(triggers[i]));
    }
    if (!expressions.empty()) {
        std::vector<const char*> pointers;
        std::vector<unsigned> ids;
        for (std::size_t i = 0; i < expressions.size(); ++i) {
            pointers.push_back(expressions[i].c_str());
            ids.push_back(static_cast<unsigned>(i));
        }
        const std::vector<unsigned> flags(expressions.size(), kFlags);
        hs_compile_error_t* error = nullptr;
        if (hs_compile_multi(pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                             HS_MODE_BLOCK, nullptr, &matcher->database_, &error) != HS_SUCCESS) {
            return compile_error(error, triggers);
        }
    }
    matcher->triggers_ = std::move(triggers);
    matcher->serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
    return std::shared_ptr<const ReplyMatcher>(std::move(matcher));
}

ReplyMatcher::~ReplyMatcher() {
    hs_free_database(database_);
}

void ReplyMatcher::matches(std::string_view text, MatchScratch& scratch, std::vector<std::uint32_t>& out) const {
    scratch.owner_.check();
    out.clear();
    if (database_ == nullptr) return;
    const std::string_view part = scanned_part(text);
    if (!utf8_code_points(part)) return;
    scratch.fit(*this);
    const auto status =
        hs_scan(database_, part.data(), static_cast<unsigned>(part.size()), 0, scratch.scratch_, &on_match, &out);
    BARRAGE_ASSERT(status == HS_SUCCESS);
    // Vectorscan reports in order of match end; callers want trigger order.
    std::sort(out.begin(), out.end());
}

MatchScratch::MatchScratch() = default;

MatchScratch::~MatchScratch() {
    hs_free_scratch(scratch_);
}

void MatchScratch::fit(const ReplyMatcher& matcher) {
    for (const auto serial : fitted_) {
        if (serial == matcher.serial_) return;
    }
    if (hs_alloc_scratch(matcher.database_, &scratch_) != HS_SUCCESS) throw std::bad_alloc();
    if (fitted_.size() >= kFittedMatchersMax) fitted_.clear();
    fitted_.push_back(matcher.serial_);
}

}  // namespace barrage::bot
