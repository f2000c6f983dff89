#include "ledger/order.h"

#include "base/clock.h"
#include "ledger/annotation.h"

#include "ledger/limits.h"

namespace barrage::ledger {

namespace {

bool is_request_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == ':' || c == '.';
}

// Counter names are keys the server builds ("board:day:1:20261121:3"); printable ASCII keeps
// them readable in logs and exact in the stored receipt.
bool is_printable_ascii(std::string_view text) {
    for (char c : text) {
        if (c < 0x20 || c > 0x7E) {
            return false;
        }
    }
    return true;
}

Status check_counters(const std::vector<CounterBump>& counters) {
    if (counters.size() > kCountersPerOrderMax) {
        return make_error_code(Errc::bad_request);
    }
    for (const auto& bump : counters) {
        if (bump.name.empty() || bump.name.size() > kCounterNameBytesMax || !is_printable_ascii(bump.name)) {
            return make_error_code(Errc::bad_request);
        }
        if (bump.delta < -kCounterDeltaMax || bump.delta > kCounterDeltaMax) {
            return make_error_code(Errc::bad_amount);
        }
    }
    return {};
}

// The cut adds one leg and two counter bumps (AppCut); they must fit the order's limits.
Status check_app_cut(const Order& order) {
    if (!order.app_cut) {
        return {};
    }
    const auto& cut = *order.app_cut;
    if (cut.app == 0 || cut.from_leg >= order.legs.size() || order.legs.size() + 1 > kLegsPerOrderMax ||
        order.counters.size() + 2 > kCountersPerOrderMax) {
        return make_error_code(Errc::bad_request);
    }
    const auto& leg = order.legs[cut.from_leg];
    if (leg.credit != AccountId::platform() || leg.code != TransferCode::gift_platform_share) {
        return make_error_code(Errc::bad_request);
    }
    return {};
}

}  // namespace

std::string counter_name_at(std::string_view name, Millis commit_ms) {
    std::string resolved(name);
    if (auto at = resolved.find(kCommitDay); at != std::string::npos) {
        resolved.replace(at, kCommitDay.size(), std::to_string(utc_yyyymmdd(commit_ms)));
    }
    return resolved;
}

bool is_valid_request_id(std::string_view request_id) {
    if (request_id.empty() || request_id.size() > kRequestIdBytesMax) {
        return false;
    }
    for (char c : request_id) {
        if (!is_request_id_char(c)) {
            return false;
        }
    }
    return true;
}

Status check_leg(const Leg& leg) {
    if (leg.amount <= 0 || leg.amount > kLegAmountMax) {
        return make_error_code(Errc::bad_amount);
    }
    if (!is_valid(leg.debit) || !is_valid(leg.credit)) {
        return make_error_code(Errc::unknown_account);
    }
    if (leg.debit == leg.credit || !is_known_code(static_cast<std::int64_t>(leg.code))) {
        return make_error_code(Errc::bad_request);
    }
    return {};
}

Status check_order(const Order& order) {
    if (!is_valid_request_id(order.request_id) || order.kind.empty() || order.kind.size() > kKindBytesMax ||
        order.fingerprint.size() > kFingerprintBytesMax || order.memo.size() > kMemoBytesMax || order.reverses < 0) {
        return make_error_code(Errc::bad_request);
    }
    if (order.legs.empty() || order.legs.size() > kLegsPerOrderMax) {
        return make_error_code(Errc::bad_request);
    }
    for (const auto& leg : order.legs) {
        if (auto checked = check_leg(leg); !checked) {
            return checked;
        }
    }
    if (auto checked = check_app_cut(order); !checked) {
        return checked;
    }
    return check_counters(order.counters);
}

Status check_annotation(const Annotation& annotation) {
    if (!is_valid_request_id(annotation.request_id) || annotation.text.empty() ||
        annotation.text.size() > kAnnotationBytesMax) {
        return make_error_code(Errc::bad_request);
    }
    return {};
}

}  // namespace barrage::ledger
