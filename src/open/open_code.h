#pragma once

#include <string_view>

namespace barrage::open {

// The open platform's result codes (PROTOCOL.md §1.3): the numbers games written for
// Bilibili's live open platform read from `code`. A space of their own: Errc's 4000s are the
// packet protocol's, and the open-platform API answers these instead.
enum class OpenCode : int {
    ok = 0,
    bad_parameters = 4000,
    invalid_app = 4001,        // x-bili-accesskeyid empty or unknown
    bad_signature = 4002,      // Authorization wrong
    request_expired = 4003,    // x-bili-timestamp outside the window
    duplicate_request = 4004,  // nonce seen before inside the window
    bad_signature_method = 4005,
    bad_signature_version = 4006,
    access_limited = 4009,  // permission or rate
    bad_content_type = 4011,
    bad_content_md5 = 4012,
    bad_accept = 4013,
};

// The message an answer with `code` carries.
std::string_view message_of(OpenCode code);

}  // namespace barrage::open
