#pragma once

// The client side of HTTP/1.1 answers that the HTTP publishers need: status line, headers,
// a Content-Length body, keep-alive. Several answers may arrive in one read (pipelining) and
// one answer may span several reads. Chunked bodies and bodies that end at close are refused:
// Barrage always sends Content-Length, and a load generator must not guess.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace barrage::loadgen {

// One complete answer; `body` is valid during the callback only.
struct HttpAnswer {
    unsigned status = 0;
    std::string_view body;
    bool close = false;  // the server closes after this answer (Connection: close, or HTTP/1.0)
};

// Answers read from one connection, in order.
// Owner thread only.
class HttpResponseParser {
public:
    // A status line and headers longer than this are a broken server.
    static constexpr std::size_t kHeadBytesMax = 16 * 1024;
    // Danmaku answers are a few hundred bytes; larger bodies mean we talk to the wrong thing.
    static constexpr std::size_t kBodyBytesMax = 1024 * 1024;

    // Consumes `bytes` and calls on_answer(const HttpAnswer&) for every answer completed by
    // them, in order; the rest is kept for the next call. Errc::bad_request when the bytes
    // are not an HTTP/1.x answer we can frame (after which the parser must not be fed again).
    template <class OnAnswer>
    Status feed(std::string_view bytes, OnAnswer&& on_answer) {
        buffer_.append(bytes);
        std::size_t offset = 0;
        Status status;
        for (;;) {
            auto framed = frame(std::string_view(buffer_).substr(offset));
            if (!framed) {
                status = framed.error();
                break;
            }
            if (framed->consumed == 0) {
                break;
            }
            offset += framed->consumed;
            if (framed->complete) {
                on_answer(framed->answer);
            }
        }
        buffer_.erase(0, offset);
        return status;
    }

    // Bytes of an answer received but not complete yet.
    std::size_t pending_bytes() const { return buffer_.size(); }

private:
    struct Framed {
        HttpAnswer answer;
        std::size_t consumed = 0;  // 0: incomplete, wait for more
        bool complete = false;     // false for an interim 1xx answer, which is skipped
    };
    // Frames the first answer in `bytes`.
    static Result<Framed> frame(std::string_view bytes);

    std::string buffer_;  // received, not yet framed
};

}  // namespace barrage::loadgen
