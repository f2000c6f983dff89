// libFuzzer target for the word filter (moderation/word_filter.h): hostile bytes as a message,
// normalised and screened against a fixed list, and as a pattern compiled into a list.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
//   - the normalised text is valid UTF-8, and each of its bytes maps to a non-empty range of
//     the input, in order (begins never go back);
//   - screen() against a list with block and mask entries returns the input unchanged unless
//     it masked, and a masked text has exactly as many code points (or invalid bytes) as the
//     input, each either its original or '*';
//   - a pattern (the input's first line) that compiles as a literal blocks itself.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "base/utf8.h"
#include "moderation/utf8_decode.h"
#include "moderation/word_filter.h"

namespace {

using namespace barrage::moderation;

// Code points, each invalid byte counting as one, as screen() counts them for masking.
std::vector<std::string_view> pieces(std::string_view text) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = std::max<std::size_t>(decode_utf8(text, at).length, 1);
        out.push_back(text.substr(at, length));
        at += length;
    }
    return out;
}

void check_normalised(std::string_view input, const NormalisedText& normalised) {
    BARRAGE_ASSERT(barrage::utf8_code_points(normalised.text).has_value());
    BARRAGE_ASSERT(normalised.source_begin.size() == normalised.text.size());
    BARRAGE_ASSERT(normalised.source_end.size() == normalised.text.size());
    std::uint32_t previous_begin = 0;
    for (std::size_t i = 0; i < normalised.text.size(); ++i) {
        BARRAGE_ASSERT(normalised.source_begin[i] < normalised.source_end[i]);
        BARRAGE_ASSERT(normalised.source_end[i] <= input.size());
        BARRAGE_ASSERT(normalised.source_begin[i] >= previous_begin);
        previous_begin = normalised.source_begin[i];
    }
}

void check_verdict(std::string_view input, const FilterVerdict& verdict) {
    if (!verdict.masked) {
        BARRAGE_ASSERT(verdict.text == input);
        return;
    }
    BARRAGE_ASSERT(!verdict.blocked);
    const auto before = pieces(input);
    const auto after = pieces(verdict.text);
    BARRAGE_ASSERT(before.size() == after.size());
    bool starred = false;
    for (std::size_t i = 0; i < before.size(); ++i) {
        BARRAGE_ASSERT(after[i] == before[i] || after[i] == "*");
        starred = starred || (after[i] == "*" && before[i] != "*");
    }
    BARRAGE_ASSERT(starred);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static FilterScratch scratch;
    static const auto fixed =
        WordList::compile({{.pattern = "fuck", .action = WordAction::mask},
                           {.pattern = "傻逼", .action = WordAction::mask},
                           {.pattern = "干你娘", .action = WordAction::block},
                           {.pattern = "1[3-9][0-9]{9}", .action = WordAction::mask, .regex = true},
                           {.pattern = "sh[i1]t", .action = WordAction::block, .regex = true}},
                          scratch.normaliser())
            .value();
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    const NormalisedText normalised = scratch.normaliser().normalise(input);
    check_normalised(input, normalised);

    const WordList* lists[] = {fixed.get()};
    check_verdict(input, screen(input, lists, scratch));

    const auto pattern = input.substr(0, input.find('\n'));
    auto own = WordList::compile({{.pattern = std::string(pattern)}}, scratch.normaliser());
    if (own) {
        const WordList* own_lists[] = {own->get()};
        const auto verdict = screen(pattern, own_lists, scratch);
        BARRAGE_ASSERT(verdict.blocked);
        BARRAGE_ASSERT(verdict.matched == pattern);
    }
    return 0;
}
