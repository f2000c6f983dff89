#include "hook/hook_message.h"

#include "base/utf8.h"

namespace barrage::hook {

HookVerdict fallback_verdict(HookFallback fallback, std::string_view fault) {
    HookVerdict verdict;
    verdict.fell_back = true;
    verdict.fault = std::string(fault);
    if (fallback == HookFallback::reject) {
        verdict.action = HookAction::reject;
        verdict.reason = std::string(kFallbackReason);
    }
    return verdict;
}

bool is_valid_rewrite(std::string_view text) {
    return !text.empty() && text.size() <= kRewriteBytesMax && utf8_code_points(text).has_value();
}

bool is_valid_reason(std::string_view reason) {
    return reason.size() <= kReasonBytesMax && utf8_code_points(reason).has_value();
}

void HookCounters::record(const HookVerdict& verdict) {
    ++calls;
    switch (verdict.action) {
        case HookAction::allow: ++allowed; break;
        case HookAction::reject: ++rejected; break;
        case HookAction::rewrite: ++rewritten; break;
    }
    if (!verdict.fell_back) {
        return;
    }
    ++fell_back;
    const std::string_view fault = verdict.fault;
    if (fault == hook_fault::instructions) {
        ++fault_instructions;
    } else if (fault == hook_fault::memory) {
        ++fault_memory;
    } else if (fault == hook_fault::deadline) {
        ++fault_deadline;
    } else if (fault == hook_fault::http_status) {
        ++fault_http_status;
    } else if (fault == hook_fault::unreachable) {
        ++fault_unreachable;
    } else if (fault == hook_fault::circuit_open) {
        ++fault_circuit_open;
    } else if (fault == hook_fault::busy) {
        ++fault_busy;
    } else if (fault == hook_fault::bad_answer) {
        ++fault_bad_answer;
    } else {
        ++fault_error;
    }
}

HookCounters& HookCounters::operator+=(const HookCounters& other) {
    calls += other.calls;
    allowed += other.allowed;
    rejected += other.rejected;
    rewritten += other.rewritten;
    fell_back += other.fell_back;
    fault_instructions += other.fault_instructions;
    fault_memory += other.fault_memory;
    fault_error += other.fault_error;
    fault_deadline += other.fault_deadline;
    fault_http_status += other.fault_http_status;
    fault_unreachable += other.fault_unreachable;
    fault_circuit_open += other.fault_circuit_open;
    fault_busy += other.fault_busy;
    fault_bad_answer += other.fault_bad_answer;
    reloads += other.reloads;
    reload_failures += other.reload_failures;
    return *this;
}

}  // namespace barrage::hook
