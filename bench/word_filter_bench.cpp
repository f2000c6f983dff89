// Micro-benchmarks of the word filter (issue 12): messages per second through screen() with a
// 10,000-entry list, on 30-character Chinese and English messages (mostly clean, some hits),
// on one thread; and the time to compile that list. Figures in docs/PERFORMANCE.md.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "moderation/word_filter.h"

namespace {

using barrage::moderation::FilterScratch;
using barrage::moderation::FilterVerdict;
using barrage::moderation::WordAction;
using barrage::moderation::WordEntry;
using barrage::moderation::WordList;

constexpr std::size_t kEntries = 10'000;
constexpr std::size_t kMessages = 4'096;
constexpr std::size_t kMessageCodePoints = 30;
// Every 16th message carries a listed word.
constexpr std::size_t kHitEvery = 16;
// Chinese words draw from the first 3,000 CJK ideographs, like the common-character set.
constexpr char32_t kCjkFirst = 0x4E00;
constexpr std::uint32_t kCjkCount = 3'000;

char32_t random_ideograph(std::mt19937& random) {
    return kCjkFirst + static_cast<char32_t>(random() % kCjkCount);
}

void append_utf8(std::string& out, char32_t c) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
}

std::string chinese_word(std::mt19937& random, std::size_t length) {
    std::string word;
    for (std::size_t i = 0; i < length; ++i)
        append_utf8(word, random_ideograph(random));
    return word;
}

// No letter twice in a row: the normaliser collapses runs, and a listed "aabc" would become a
// three-letter "abc" that random text hits far more often.
std::string english_word(std::mt19937& random, std::size_t length) {
    std::string word;
    while (word.size() < length) {
        const auto letter = static_cast<char>('a' + random() % 26);
        if (word.empty() || word.back() != letter) word.push_back(letter);
    }
    return word;
}

// Half Chinese words of 2–6 characters, half English words of 4–6 letters (random English
// words of 2–3 letters would cover most letter pairs and triples, and every message would
// hit); one in ten is a mask entry.
std::vector<WordEntry> word_entries() {
    std::mt19937 random(20261203);
    std::vector<WordEntry> entries;
    for (std::size_t i = 0; i < kEntries; ++i) {
        const bool chinese = i % 2 == 0;
        WordEntry entry;
        entry.pattern = chinese ? chinese_word(random, 2 + random() % 5) : english_word(random, 4 + random() % 3);
        entry.action = (i / 2) % 10 == 9 ? WordAction::mask : WordAction::block;
        entries.push_back(std::move(entry));
    }
    return entries;
}

// 30 code points: Chinese characters with a space or a comma now and then, or English
// words of 2–8 letters between spaces; every kHitEvery-th message has a listed word inside.
std::vector<std::string> messages(const std::vector<WordEntry>& entries, bool chinese) {
    std::mt19937 random(chinese ? 1 : 2);
    std::vector<std::string> out;
    for (std::size_t m = 0; m < kMessages; ++m) {
        std::string text;
        std::size_t code_points = 0;
        if (m % kHitEvery == 0) {
            const auto& hit = entries[(random() % (kEntries / 2)) * 2 + (chinese ? 0 : 1)].pattern;
            text += hit + " ";
            code_points += (chinese ? hit.size() / 3 : hit.size()) + 1;
        }
        while (code_points < kMessageCodePoints) {
            if (chinese) {
                const auto roll = random() % 10;
                if (roll == 0) {
                    text += ' ';
                } else if (roll == 1) {
                    text += "，";
                } else {
                    append_utf8(text, random_ideograph(random));
                }
                ++code_points;
            } else {
                const auto word =
                    english_word(random, std::min<std::size_t>(2 + random() % 7, kMessageCodePoints - code_points));
                text += word;
                code_points += word.size();
                if (code_points < kMessageCodePoints) {
                    text += ' ';
                    ++code_points;
                }
            }
        }
        out.push_back(std::move(text));
    }
    return out;
}

void screen_messages(benchmark::State& state, bool chinese) {
    FilterScratch scratch;
    const auto entries = word_entries();
    const auto compiled = WordList::compile(entries, scratch.normaliser());
    if (!compiled) {
        state.SkipWithError(compiled.error().message.c_str());
        return;
    }
    const WordList* lists[] = {compiled->get()};
    const auto texts = messages(entries, chinese);
    std::size_t next = 0;
    std::int64_t blocked = 0;
    std::int64_t masked = 0;
    for (auto _ : state) {
        const FilterVerdict verdict = barrage::moderation::screen(texts[next], lists, scratch);
        blocked += verdict.blocked;
        masked += verdict.masked;
        benchmark::DoNotOptimize(verdict.text.data());
        next = (next + 1) % texts.size();
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["blocked_share"] = static_cast<double>(blocked) / static_cast<double>(state.iterations());
    state.counters["masked_share"] = static_cast<double>(masked) / static_cast<double>(state.iterations());
}

void BM_ScreenChinese30(benchmark::State& state) {
    screen_messages(state, true);
}
void BM_ScreenEnglish30(benchmark::State& state) {
    screen_messages(state, false);
}

// Normalisation alone, the part screen() does before Vectorscan scans.
void normalise_messages(benchmark::State& state, bool chinese) {
    barrage::moderation::TextNormaliser normaliser;
    barrage::moderation::NormalisedText out;
    const auto texts = messages(word_entries(), chinese);
    std::size_t next = 0;
    for (auto _ : state) {
        normaliser.normalise_into(texts[next], out);
        benchmark::DoNotOptimize(out.text.data());
        next = (next + 1) % texts.size();
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_NormaliseChinese30(benchmark::State& state) {
    normalise_messages(state, true);
}
void BM_NormaliseEnglish30(benchmark::State& state) {
    normalise_messages(state, false);
}

// No list applies: the text comes back without normalising.
void BM_ScreenNoLists(benchmark::State& state) {
    FilterScratch scratch;
    const auto texts = messages(word_entries(), true);
    std::size_t next = 0;
    for (auto _ : state) {
        const FilterVerdict verdict = barrage::moderation::screen(texts[next], {}, scratch);
        benchmark::DoNotOptimize(verdict.text.data());
        next = (next + 1) % texts.size();
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_CompileTenThousandEntries(benchmark::State& state) {
    barrage::moderation::TextNormaliser normaliser;
    const auto entries = word_entries();
    for (auto _ : state) {
        auto compiled = WordList::compile(entries, normaliser);
        if (!compiled) state.SkipWithError(compiled.error().message.c_str());
        benchmark::DoNotOptimize(compiled);
    }
}

}  // namespace

BENCHMARK(BM_ScreenChinese30);
BENCHMARK(BM_ScreenEnglish30);
BENCHMARK(BM_NormaliseChinese30);
BENCHMARK(BM_NormaliseEnglish30);
BENCHMARK(BM_ScreenNoLists);
BENCHMARK(BM_CompileTenThousandEntries)->Unit(benchmark::kMillisecond);
