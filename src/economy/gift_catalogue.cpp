#include "economy/gift_catalogue.h"

#include <algorithm>
#include <utility>

#include "base/utf8.h"

namespace barrage::economy {

namespace {

Status bad_request() {
    return make_error_code(Errc::bad_request);
}

bool valid_text(const std::string& text, std::size_t bytes_max) {
    return text.size() <= bytes_max && utf8_code_points(text).has_value();
}

}  // namespace

Status validate(const GiftSpec& spec) {
    if (spec.price < 1 || spec.price > kGiftPriceMax) {
        return make_error_code(Errc::bad_amount);
    }
    if (spec.id == 0 || spec.name.empty() || !valid_text(spec.name, kGiftNameBytesMax)) {
        return bad_request();
    }
    if (!valid_text(spec.icon_url, kGiftUrlBytesMax) || !valid_text(spec.effect_url, kGiftUrlBytesMax)) {
        return bad_request();
    }
    if (spec.animated == spec.effect_url.empty()) {
        return bad_request();
    }
    return {};
}

Result<Coins> order_price(const GiftSpec& spec, std::uint32_t count) {
    if (count < 1 || count > kGiftCountMax) {
        return make_error_code(Errc::bad_count);
    }
    return spec.price * static_cast<Coins>(count);
}

GiftCatalogue::GiftCatalogue(std::vector<GiftSpec> sorted_specs) : specs_(std::move(sorted_specs)) {}

Result<GiftCatalogue> GiftCatalogue::make(std::vector<GiftSpec> specs) {
    if (specs.size() > kGiftsMax) {
        return make_error_code(Errc::bad_request);
    }
    for (const auto& spec : specs) {
        if (auto valid = validate(spec); !valid) {
            return valid.error();
        }
    }
    std::ranges::sort(specs, {}, &GiftSpec::id);
    const auto duplicate = std::ranges::adjacent_find(
        specs, [](const GiftSpec& left, const GiftSpec& right) { return left.id == right.id; });
    if (duplicate != specs.end()) {
        return make_error_code(Errc::bad_request);
    }
    return GiftCatalogue{std::move(specs)};
}

const GiftSpec* GiftCatalogue::find(std::uint64_t id) const {
    const auto found = std::ranges::lower_bound(specs_, id, {}, &GiftSpec::id);
    if (found == specs_.end() || found->id != id) {
        return nullptr;
    }
    return &*found;
}

Result<GiftCatalogue> GiftCatalogue::with(GiftSpec spec) const {
    if (auto valid = validate(spec); !valid) {
        return valid.error();
    }
    std::vector<GiftSpec> specs = specs_;
    const auto found = std::ranges::lower_bound(specs, spec.id, {}, &GiftSpec::id);
    if (found != specs.end() && found->id == spec.id) {
        *found = std::move(spec);
        return GiftCatalogue{std::move(specs)};
    }
    if (specs.size() >= kGiftsMax) {
        return make_error_code(Errc::bad_request);
    }
    specs.insert(found, std::move(spec));
    return GiftCatalogue{std::move(specs)};
}

}  // namespace barrage::economy
