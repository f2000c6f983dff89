#include "wire/websocket_reader.h"

#include "base/errc.h"
#include "base/utf8.h"

namespace barrage::wire {

Status WebSocketReader::feed(std::span<char> bytes, Events& events) {
    if (closed_) {
        return {};
    }
    std::size_t used = 0;
    if (carry_.empty()) {
        auto handled = handle_frames(bytes.data(), bytes.size(), events, used);
        if (!closed_) {
            carry_.append(std::string_view(bytes.data() + used, bytes.size() - used));
        }
        return handled;
    }
    carry_.append(std::string_view(bytes.data(), bytes.size()));
    auto handled = handle_frames(carry_.data(), carry_.size(), events, used);
    carry_.consume(closed_ ? carry_.size() : used);
    return handled;
}

Status WebSocketReader::handle_frames(char* data, std::size_t size, Events& events, std::size_t& used) {
    used = 0;
    while (!closed_) {
        auto frame = parse_websocket_frame(data + used, size - used, options_.message_bytes_max);
        if (!frame) {
            return fail(frame.error());
        }
        if (!*frame) {
            break;
        }
        used += (*frame)->frame_bytes;
        if (auto handled = handle_frame(**frame, events); !handled) {
            return handled;
        }
    }
    return {};
}

Status WebSocketReader::handle_frame(const WebSocketFrame& frame, Events& events) {
    if (frame.masked != options_.require_masked) {
        return fail(make_error_code(Errc::websocket_protocol));
    }
    switch (frame.opcode) {
        case WebSocketOpcode::ping: events.on_ping(frame.payload); return {};
        case WebSocketOpcode::pong: return {};
        case WebSocketOpcode::close:
            closed_ = true;
            events.on_close(frame.payload);
            return {};
        case WebSocketOpcode::text:
        case WebSocketOpcode::binary:
            if (in_message_) {
                return fail(make_error_code(Errc::websocket_protocol));
            }
            text_ = frame.opcode == WebSocketOpcode::text;
            if (frame.fin || !options_.whole_messages) {
                in_message_ = !frame.fin;
                return deliver(frame.payload, events);
            }
            in_message_ = true;
            fragments_.assign(frame.payload);
            return {};
        case WebSocketOpcode::continuation: break;
    }
    if (!in_message_) {
        return fail(make_error_code(Errc::websocket_protocol));
    }
    in_message_ = !frame.fin;
    if (!options_.whole_messages) {
        return deliver(frame.payload, events);
    }
    if (fragments_.size() + frame.payload.size() > options_.message_bytes_max) {
        return fail(make_error_code(Errc::websocket_too_large));
    }
    fragments_.append(frame.payload);
    if (!frame.fin) {
        return {};
    }
    auto delivered = deliver(fragments_, events);
    // A fragmented message may be large; idle connections must not each keep the largest.
    if (fragments_.capacity() > CarryBuffer::kRetainedBytesMax) {
        std::string().swap(fragments_);
    } else {
        fragments_.clear();
    }
    return delivered;
}

Status WebSocketReader::deliver(std::string_view payload, Events& events) {
    if (text_ && options_.whole_messages && options_.validate_text && !utf8_code_points(payload)) {
        return fail(make_error_code(Errc::bad_utf8));
    }
    auto delivered = events.on_message(payload);
    return delivered ? delivered : fail(delivered.error());
}

Status WebSocketReader::fail(std::error_code error) {
    closed_ = true;
    close_code_ = websocket_close_for(error);
    return error;
}

}  // namespace barrage::wire
