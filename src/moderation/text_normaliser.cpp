#include "moderation/text_normaliser.h"

#include <array>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "base/assert.h"
#include "moderation/utf8_decode.h"

namespace barrage::moderation {

namespace {

constexpr const char* kT2sConfig = "/usr/share/opencc/t2s.json";

// NFKC_Casefold of one code point expands to at most 18 code points (U+FDFA).
constexpr std::size_t kFoldExpansionMax = 32;

enum class FoldKind : std::uint8_t { drop, single, multi, combining };

// What one code point folds to. `value` is the code point (single) or an offset into the pool.
struct Fold {
    std::uint32_t value = 0;
    FoldKind kind = FoldKind::drop;
    std::uint8_t count = 0;
    bool number = false;  // the code point itself (not its fold) is a digit or other number
};

// A fold computed on the spot (code points outside the BMP), or read from the BMP table.
struct Folded {
    FoldKind kind = FoldKind::drop;
    const char32_t* data = nullptr;
    std::size_t count = 0;
};

// Built once per process, then only read: safe from any thread.
struct FoldTables {
    const icu::Normalizer2* nfkc_casefold = nullptr;
    const icu::Normalizer2* nfc = nullptr;
    std::unordered_map<char32_t, char32_t> t2s;  // traditional → simplified, one character each
    std::vector<Fold> bmp;                       // indexed by code point, U+0000..U+FFFF
    std::vector<char32_t> pool;                  // the code points of multi folds
};

bool kept_category(std::int8_t category) {
    switch (category) {
        case U_UPPERCASE_LETTER:
        case U_LOWERCASE_LETTER:
        case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER:
        case U_OTHER_LETTER:
        case U_DECIMAL_DIGIT_NUMBER:
        case U_LETTER_NUMBER:
        case U_OTHER_NUMBER:
        case U_COMBINING_SPACING_MARK: return true;
        default: return false;
    }
}

bool is_nonspacing_mark(char32_t c) {
    const auto category = u_charType(static_cast<UChar32>(c));
    return category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK;
}

bool number_category(char32_t c) {
    const auto category = u_charType(static_cast<UChar32>(c));
    return category == U_DECIMAL_DIGIT_NUMBER || category == U_LETTER_NUMBER || category == U_OTHER_NUMBER;
}

// Writes `c` as UTF-8 at `out` (room for 4 bytes); returns the bytes written.
std::size_t encode_utf8(char* out, char32_t c) {
    if (c < 0x80) {
        out[0] = static_cast<char>(c);
        return 1;
    }
    if (c < 0x800) {
        out[0] = static_cast<char>(0xC0 | (c >> 6));
        out[1] = static_cast<char>(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (c >> 12));
        out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (c >> 18));
    out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (c & 0x3F));
    return 4;
}

// Fills t2s with OpenCC's character-level conversions for the CJK blocks. Each character is
// converted on a line of its own so that no phrase rule joins neighbours.
void load_t2s(std::unordered_map<char32_t, char32_t>& t2s) {
    std::vector<char32_t> sources;
    for (char32_t c = 0x3400; c <= 0x4DBF; ++c)
        sources.push_back(c);
    for (char32_t c = 0x4E00; c <= 0x9FFF; ++c)
        sources.push_back(c);
    for (char32_t c = 0x20000; c <= 0x2A6DF; ++c)
        sources.push_back(c);
    std::string input;
    for (const char32_t c : sources) {
        char bytes[4];
        input.append(bytes, encode_utf8(bytes, c));
        input.push_back('\n');
    }
    opencc_t handle = opencc_open(kT2sConfig);
    if (handle == reinterpret_cast<opencc_t>(-1)) {
        throw std::runtime_error(std::string("OpenCC cannot open ") + kT2sConfig + ": " + opencc_error());
    }
    char* converted = opencc_convert_utf8(handle, input.data(), input.size());
    opencc_close(handle);
    if (converted == nullptr) {
        throw std::runtime_error(std::string("OpenCC t2s conversion failed: ") + opencc_error());
    }
    const std::string output(converted);
    opencc_convert_utf8_free(converted);
    std::size_t line_start = 0;
    for (const char32_t source : sources) {
        const auto line_end = output.find('\n', line_start);
        if (line_end == std::string::npos) {
            throw std::runtime_error("OpenCC t2s conversion lost lines");
        }
        const auto line = std::string_view(output).substr(line_start, line_end - line_start);
        const auto decoded = line.empty() ? Decoded{} : decode_utf8(line, 0);
        if (decoded.length != 0 && decoded.length == line.size() && decoded.code_point != source) {
            t2s.emplace(source, decoded.code_point);
        }
        line_start = line_end + 1;
    }
}

// The full fold of one code point into `out` (at most kFoldExpansionMax code points).
Folded fold_slowly(const FoldTables& tables, char32_t c, std::array<char32_t, kFoldExpansionMax>& out) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString folded =
        tables.nfkc_casefold->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status)) return {};
    std::size_t count = 0;
    for (std::int32_t i = 0; i < folded.length() && count < out.size();) {
        const UChar32 d = folded.char32At(i);
        i += U16_LENGTH(d);
        if (!kept_category(u_charType(d))) continue;
        const auto simplified = tables.t2s.find(static_cast<char32_t>(d));
        out[count++] = simplified == tables.t2s.end() ? static_cast<char32_t>(d) : simplified->second;
    }
    if (is_nonspacing_mark(c)) {
        // Kept for composition with the character before; a mark the fold removes entirely
        // (variation selectors) is dropped outright.
        return folded.isEmpty() ? Folded{} : Folded{FoldKind::combining, nullptr, 0};
    }
    if (count == 0) return {};
    return {count == 1 ? FoldKind::single : FoldKind::multi, out.data(), count};
}

FoldTables build_tables() {
    FoldTables tables;
    UErrorCode status = U_ZERO_ERROR;
    tables.nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    tables.nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
        throw std::runtime_error(std::string("ICU normalisers unavailable: ") + u_errorName(status));
    }
    load_t2s(tables.t2s);
    tables.bmp.resize(0x10000);
    std::array<char32_t, kFoldExpansionMax> buffer{};
    for (char32_t c = 0; c < 0x10000; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        const Folded folded = fold_slowly(tables, c, buffer);
        Fold& fold = tables.bmp[c];
        fold.number = number_category(c);
        fold.kind = folded.kind;
        fold.count = static_cast<std::uint8_t>(folded.count);
        if (folded.kind == FoldKind::single) {
            fold.value = folded.data[0];
        } else if (folded.kind == FoldKind::multi) {
            fold.value = static_cast<std::uint32_t>(tables.pool.size());
            tables.pool.insert(tables.pool.end(), folded.data, folded.data + folded.count);
        }
    }
    return tables;
}

const FoldTables& fold_tables() {
    static const FoldTables tables = build_tables();
    return tables;
}

// ASCII folds without ICU: letters lower-cased, digits kept, everything else dropped (0).
constexpr std::array<char32_t, 128> make_ascii_table() {
    std::array<char32_t, 128> table{};
    for (char32_t c = '0'; c <= '9'; ++c)
        table[c] = c;
    for (char32_t c = 'a'; c <= 'z'; ++c)
        table[c] = c;
    for (char32_t c = 'A'; c <= 'Z'; ++c)
        table[c] = c - 'A' + 'a';
    return table;
}

constexpr std::array<char32_t, 128> kAsciiFold = make_ascii_table();

// Outside the BMP: rare in chat except emoji, so computed on the spot.
[[gnu::noinline]] Folded lookup_supplementary(const FoldTables& tables, char32_t c,
                                              std::array<char32_t, kFoldExpansionMax>& buffer) {
    // Emoji and other symbols that normalisation leaves alone are dropped without asking ICU.
    if (!kept_category(u_charType(static_cast<UChar32>(c))) && !is_nonspacing_mark(c) &&
        tables.nfkc_casefold->isInert(static_cast<UChar32>(c))) {
        return {};
    }
    return fold_slowly(tables, c, buffer);
}

inline Folded lookup(const FoldTables& tables, char32_t c, std::array<char32_t, kFoldExpansionMax>& buffer) {
    if (c >= 0x10000) [[unlikely]] {
        return lookup_supplementary(tables, c, buffer);
    }
    const Fold& fold = tables.bmp[c];
    switch (fold.kind) {
        case FoldKind::single: buffer[0] = fold.value; return {FoldKind::single, buffer.data(), 1};
        case FoldKind::multi: return {FoldKind::multi, tables.pool.data() + fold.value, fold.count};
        case FoldKind::combining: return {FoldKind::combining, nullptr, 0};
        case FoldKind::drop: return {};
    }
    return {};
}

// Digits repeat in numbers that matter (phone and QQ numbers, 1000 coins), so their runs stay.
inline bool is_number(const FoldTables& tables, char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    if (c < 0x10000) return tables.bmp[c].number;
    return number_category(c);
}

}  // namespace

TextNormaliser::TextNormaliser() {
    fold_tables();
}

NormalisedText TextNormaliser::normalise(std::string_view utf8) {
    NormalisedText out;
    normalise_into(utf8, out);
    return out;
}

void TextNormaliser::normalise_into(std::string_view utf8, NormalisedText& out) {
    owner_.check();
    BARRAGE_ASSERT(utf8.size() < std::numeric_limits<std::uint32_t>::max());
    fold(utf8);
    collapse_into(out);
}

// Fills units_ with the folded code points of `utf8`, each with its original byte range.
void TextNormaliser::fold(std::string_view utf8) {
    const FoldTables& tables = fold_tables();
    std::array<char32_t, kFoldExpansionMax> buffer{};
    units_.clear();
    // The last code point that produced units (before folding), for composing marks with it.
    UChar32 last_source = U_SENTINEL;
    std::size_t last_units_begin = 0;
    std::uint32_t last_source_begin = 0;
    const auto emit = [&](const Folded& folded, std::uint32_t begin, std::uint32_t end) {
        for (std::size_t k = 0; k < folded.count; ++k) {
            units_.push_back({folded.data[k], begin, end});
        }
    };
    for (std::size_t at = 0; at < utf8.size();) {
        const auto begin = static_cast<std::uint32_t>(at);
        const auto lead = static_cast<unsigned char>(utf8[at]);
        if (lead < 0x80) {
            ++at;
            if (kAsciiFold[lead] == 0) {
                last_source = U_SENTINEL;
                continue;
            }
            last_source = lead;
            last_units_begin = units_.size();
            last_source_begin = begin;
            units_.push_back({kAsciiFold[lead], begin, begin + 1});
            continue;
        }
        const Decoded decoded = decode_utf8(utf8, at);
        if (decoded.length == 0) {
            ++at;
            last_source = U_SENTINEL;
            continue;
        }
        at += decoded.length;
        const auto end = static_cast<std::uint32_t>(at);
        const Folded folded = lookup(tables, decoded.code_point, buffer);
        if (folded.kind == FoldKind::drop) {
            last_source = U_SENTINEL;
            continue;
        }
        if (folded.kind != FoldKind::combining) {
            last_source = static_cast<UChar32>(decoded.code_point);
            last_units_begin = units_.size();
            last_source_begin = begin;
            emit(folded, begin, end);
            continue;
        }
        const UChar32 composite = last_source == U_SENTINEL
                                      ? U_SENTINEL
                                      : tables.nfc->composePair(last_source, static_cast<UChar32>(decoded.code_point));
        if (composite >= 0) {
            units_.resize(last_units_begin);
            const Folded composed = lookup(tables, static_cast<char32_t>(composite), buffer);
            emit(composed, last_source_begin, end);
            last_source = composite;
        } else {
            // A mark that composes with nothing is dropped, but masking its base masks it too.
            for (auto unit = units_.rbegin(); unit != units_.rend() && unit->source_end == begin; ++unit) {
                unit->source_end = end;
            }
        }
    }
}

// Writes units_ into `out` as UTF-8, a run of one letter written once.
void TextNormaliser::collapse_into(NormalisedText& out) const {
    const FoldTables& tables = fold_tables();
    // Sized for the worst case and written through pointers, then cut to what was written.
    const std::size_t bytes_max = units_.size() * 4;
    out.text.resize(bytes_max);
    out.source_begin.resize(bytes_max);
    out.source_end.resize(bytes_max);
    char* text = out.text.data();
    std::uint32_t* begins = out.source_begin.data();
    std::uint32_t* ends = out.source_end.data();
    std::size_t size = 0;
    char32_t previous = 0;
    std::size_t previous_at = 0;
    for (const Unit& unit : units_) {
        if (size > 0 && unit.code_point == previous && !is_number(tables, unit.code_point)) {
            for (std::size_t k = previous_at; k < size; ++k)
                ends[k] = unit.source_end;
            continue;
        }
        previous = unit.code_point;
        previous_at = size;
        const std::size_t length = encode_utf8(text + size, unit.code_point);
        for (std::size_t k = 0; k < length; ++k) {
            begins[size + k] = unit.source_begin;
            ends[size + k] = unit.source_end;
        }
        size += length;
    }
    out.text.resize(size);
    out.source_begin.resize(size);
    out.source_end.resize(size);
}

}  // namespace barrage::moderation
