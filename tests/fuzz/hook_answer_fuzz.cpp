// libFuzzer target for what a webhook hook answers (hook/webhook.h): hostile bytes as an
// answer's body and as a configured URL.
//
// Properties checked besides "no crash, no sanitizer report, no exception":
// - each parser answers the same input the same way;
// - an accepted answer is within the contract: a rewrite's text 1..1000 bytes of UTF-8, a
//   reason at most 200 bytes of UTF-8, nothing marked as a fallback;
// - an accepted URL has a host, a port 1..65535 (no leading zeros) and a target starting with
//   '/' of printable ASCII without spaces (nothing that could split the request line).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/assert.h"
#include "hook/webhook.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    using namespace barrage::hook;

    const auto answer = parse_webhook_answer(input);
    const auto again = parse_webhook_answer(input);
    BARRAGE_ASSERT(answer.has_value() == again.has_value());
    if (answer) {
        BARRAGE_ASSERT(answer->action == again->action && answer->text == again->text &&
                       answer->reason == again->reason);
        BARRAGE_ASSERT(!answer->fell_back && answer->fault.empty());
        BARRAGE_ASSERT(is_valid_reason(answer->reason));
        if (answer->action == HookAction::rewrite) {
            BARRAGE_ASSERT(is_valid_rewrite(answer->text));
        } else {
            BARRAGE_ASSERT(answer->text.empty());
        }
    }

    const auto url = parse_webhook_url(input);
    BARRAGE_ASSERT(url.has_value() == parse_webhook_url(input).has_value());
    if (url) {
        BARRAGE_ASSERT(!url->host.empty() && !url->port.empty() && url->port.size() <= 5);
        BARRAGE_ASSERT(url->port.front() != '0');
        BARRAGE_ASSERT(!url->target.empty() && url->target.front() == '/');
        for (const char c : url->target) {
            BARRAGE_ASSERT(c > ' ' && c < 0x7f);  // nothing that could split the request line
        }
    }
    return 0;
}
