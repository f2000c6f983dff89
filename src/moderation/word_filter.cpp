#include "moderation/word_filter.h"

#include <new>

#include <hs/hs.h>

#include "base/assert.h"
#include "moderation/utf8_decode.h"

namespace barrage::moderation {

namespace {

// Lists a scratch remembers fitting; past this it forgets them and checks each again (a cheap
// hs_alloc_scratch that finds the scratch already big enough).
constexpr std::size_t kFittedListsMax = 64;

}  // namespace

// One scan of one normalised message: the state Vectorscan's callback writes to.
struct ScreenPass {
    FilterScratch& scratch;
    FilterVerdict& verdict;
    const WordList* list = nullptr;
    bool any_mask = false;

    static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* context) {
        auto& pass = *static_cast<ScreenPass*>(context);
        const WordEntry& entry = pass.list->entries()[id];
        if (entry.action == WordAction::block) {
            pass.verdict.blocked = true;
            pass.verdict.matched = entry.pattern;
            return 1;  // stop: nothing else can change a blocked verdict
        }
        if (!entry.regex) from = to - pass.list->literal_bytes(id);
        if (to <= from) return 0;
        const NormalisedText& normalised = pass.scratch.normalised_;
        BARRAGE_ASSERT(to <= normalised.text.size());
        ++pass.scratch.mask_depth_[normalised.original_begin(from)];
        --pass.scratch.mask_depth_[normalised.original_end(to)];
        pass.any_mask = true;
        return 0;
    }

    void scan(const hs_database* database) {
        if (database == nullptr || verdict.blocked) return;
        const auto& text = scratch.normalised_.text;
        const auto status = hs_scan(database, text.data(), static_cast<unsigned>(text.size()), 0, scratch.scratch_,
                                    &ScreenPass::on_match, this);
        BARRAGE_ASSERT(status == HS_SUCCESS || status == HS_SCAN_TERMINATED);
    }

    // The original text with every code point inside a mask range replaced by '*'.
    std::string masked_text(std::string_view text) const {
        std::string out;
        out.reserve(text.size());
        std::int32_t depth = 0;
        for (std::size_t at = 0; at < text.size();) {
            const auto length = std::max<std::size_t>(decode_utf8(text, at).length, 1);
            bool masked = false;
            for (std::size_t k = at; k < at + length; ++k) {
                depth += scratch.mask_depth_[k];
                masked = masked || depth > 0;
            }
            if (masked) {
                out.push_back('*');
            } else {
                out.append(text.substr(at, length));
            }
            at += length;
        }
        return out;
    }
};

FilterScratch::FilterScratch() = default;

FilterScratch::~FilterScratch() {
    hs_free_scratch(scratch_);
}

void FilterScratch::fit(const WordList& list) {
    for (const auto serial : fitted_) {
        if (serial == list.serial()) return;
    }
    for (const hs_database* database : {list.literal_database(), list.regex_database()}) {
        if (database != nullptr && hs_alloc_scratch(database, &scratch_) != HS_SUCCESS) throw std::bad_alloc();
    }
    if (fitted_.size() >= kFittedListsMax) fitted_.clear();
    fitted_.push_back(list.serial());
}

FilterVerdict screen(std::string_view text, std::span<const WordList* const> lists, FilterScratch& scratch) {
    scratch.owner_.check();
    FilterVerdict verdict;
    bool any_entries = false;
    for (const WordList* list : lists)
        any_entries = any_entries || (list != nullptr && !list->empty());
    if (!any_entries) {
        verdict.text.assign(text);
        return verdict;
    }
    scratch.normaliser().normalise_into(text, scratch.normalised_);
    if (scratch.normalised_.text.empty()) {
        verdict.text.assign(text);
        return verdict;
    }
    scratch.mask_depth_.assign(text.size() + 1, 0);
    ScreenPass pass{scratch, verdict};
    for (const WordList* list : lists) {
        if (list == nullptr || list->empty()) continue;
        scratch.fit(*list);
        pass.list = list;
        pass.scan(list->literal_database());
        pass.scan(list->regex_database());
        if (verdict.blocked) break;
    }
    if (verdict.blocked || !pass.any_mask) {
        verdict.text.assign(text);
        return verdict;
    }
    verdict.masked = true;
    verdict.text = pass.masked_text(text);
    return verdict;
}

}  // namespace barrage::moderation
