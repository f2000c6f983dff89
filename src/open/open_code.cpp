#include "open/open_code.h"

namespace barrage::open {

std::string_view message_of(OpenCode code) {
    switch (code) {
        case OpenCode::ok: return "0";  // Bilibili's success message is the string "0"
        case OpenCode::bad_parameters: return "invalid parameters";
        case OpenCode::invalid_app: return "invalid app: x-bili-accesskeyid is empty or unknown";
        case OpenCode::bad_signature: return "signature mismatch";
        case OpenCode::request_expired: return "request expired: x-bili-timestamp is more than 600 s off";
        case OpenCode::duplicate_request: return "duplicate request: x-bili-signature-nonce was used before";
        case OpenCode::bad_signature_method: return "x-bili-signature-method must be HMAC-SHA256";
        case OpenCode::bad_signature_version: return "x-bili-signature-version must be 1.0";
        case OpenCode::access_limited: return "access limited";
        case OpenCode::bad_content_type: return "Content-Type must be application/json";
        case OpenCode::bad_content_md5: return "x-bili-content-md5 does not match the body";
        case OpenCode::bad_accept: return "Accept must be application/json";
    }
    return "error";
}

}  // namespace barrage::open
