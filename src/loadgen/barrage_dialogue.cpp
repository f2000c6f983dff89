// Barrage's live-room protocol (PROTOCOL.md section 3) in the native dialect: auth op 7, auth
// reply op 8, heartbeat op 2 every 30 s, pushes op 5 (plain, or zlib/brotli batches of inner
// packets), publish op 4 {"msg":...} answered by op 1000.

#include <optional>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/limits.h"
#include "wire/carry_buffer.h"
#include "loadgen/dialogue.h"
#include "wire/codec.h"

namespace barrage::loadgen {
namespace {

using wire::Operation;
using wire::ProtocolVersion;

// The "code" of a JSON reply body ({"code":0,...}); nothing when it is not such an object.
std::optional<std::int64_t> reply_code(std::string_view body) {
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(body, ec);
    if (ec || !value.is_object()) {
        return std::nullopt;
    }
    const boost::json::value* code = value.as_object().if_contains("code");
    if (code == nullptr || !code->is_int64()) {
        return std::nullopt;
    }
    return code->as_int64();
}

class BarrageDialogue final : public Dialogue {
public:
    explicit BarrageDialogue(const DialogueConfig& config) : config_(config) {}

    void append_greeting(std::string& out) override {
        boost::json::object auth{{"roomid", config_.room},
                                 {"protover", config_.protover},
                                 {"platform", "web"},
                                 {"type", 2},
                                 {"dialect", "native"}};
        if (!config_.token.empty()) {
            auth["key"] = config_.token;
        }
        if (!config_.receive) {
            auth["receive"] = false;
        }
        wire::append_packet(out, ProtocolVersion::control, Operation::auth, 1, boost::json::serialize(auth));
    }

    Status consume(std::string_view bytes, DialogueEvents& events, std::string& reply) override;

    DialogueState state() const override { return state_; }
    std::string_view failure() const override { return failure_; }

    void append_heartbeat(std::string& out) override {
        wire::append_packet(out, ProtocolVersion::control, Operation::heartbeat, 1, "{}");
    }

    // The marker text is [A-Z0-9:x] only, so it needs no JSON escaping.
    void append_publish(std::string& out, std::string_view text) override {
        body_.assign(R"({"msg":")");
        body_.append(text);
        body_.append(R"("})");
        wire::append_packet(out, ProtocolVersion::control, Operation::send_message, ++publish_sequence_, body_);
    }

private:
    Status walk(std::string_view bytes, bool nested, DialogueEvents& events, std::size_t& used);
    Status on_packet(const wire::Header& header, std::string_view body, DialogueEvents& events);
    Status fail(std::string reason, std::error_code code);

    DialogueConfig config_;
    wire::DecodeLimits limits_ = wire::push_decode_limits();
    DialogueState state_ = DialogueState::starting;
    std::string failure_;
    wire::CarryBuffer pending_;  // a partial packet carried to the next read (TCP)
    std::string body_;           // publish body scratch, reused
    std::uint32_t publish_sequence_ = 0;
};

Status BarrageDialogue::consume(std::string_view bytes, DialogueEvents& events, std::string& /*reply*/) {
    const bool carried = !pending_.empty();
    if (carried) {
        pending_.append(bytes);
        bytes = pending_.view();
    }
    std::size_t used = 0;
    if (auto walked = walk(bytes, false, events, used); !walked) {
        return walked;
    }
    if (carried) {
        pending_.consume(used);
    } else {
        pending_.append(bytes.substr(used));
    }
    return {};
}

// Handles every whole packet in `bytes`; `used` is where the first incomplete one starts.
// Inside a compressed packet (nested) every packet must be whole.
Status BarrageDialogue::walk(std::string_view bytes, bool nested, DialogueEvents& events, std::size_t& used) {
    used = 0;
    while (bytes.size() - used >= limits::kHeaderBytes) {
        const auto header = wire::decode_header(bytes.substr(used), limits_);
        if (!header) {
            return fail("bad packet header", header.error());
        }
        if (header->packet_length > bytes.size() - used) {
            break;
        }
        const std::string_view body =
            bytes.substr(used + limits::kHeaderBytes, header->packet_length - limits::kHeaderBytes);
        used += header->packet_length;
        if (auto handled = on_packet(*header, body, events); !handled) {
            return handled;
        }
    }
    if (nested && used != bytes.size()) {
        return fail("truncated inner packet", make_error_code(Errc::packet_too_short));
    }
    return {};
}

Status BarrageDialogue::on_packet(const wire::Header& header, std::string_view body, DialogueEvents& events) {
    const auto version = static_cast<ProtocolVersion>(header.version);
    if (version == ProtocolVersion::zlib || version == ProtocolVersion::brotli) {
        // One allocation per compressed batch, not per message.
        auto inflated =
            version == ProtocolVersion::zlib
                ? wire::zlib_decompress(body, limits_.decompressed_bytes_max, limits_.inflate_memory_bytes_max)
                : wire::brotli_decompress(body, limits_.decompressed_bytes_max, limits_.inflate_memory_bytes_max);
        if (!inflated) {
            return fail("cannot inflate push", inflated.error());
        }
        std::size_t used = 0;
        return walk(*inflated, true, events, used);
    }
    switch (static_cast<Operation>(header.operation)) {
        case Operation::message: events.on_payload(body); break;
        case Operation::auth_reply:
            if (reply_code(body) != 0) {
                return fail("auth rejected: " + std::string(body), make_error_code(Errc::forbidden));
            }
            state_ = DialogueState::ready;
            break;
        case Operation::send_reply: events.on_publish_reply(reply_code(body) == 0, body); break;
        default: break;  // heartbeat replies and anything newer
    }
    return {};
}

Status BarrageDialogue::fail(std::string reason, std::error_code code) {
    state_ = DialogueState::failed;
    failure_ = std::move(reason);
    return code;
}

}  // namespace

std::unique_ptr<Dialogue> make_barrage_dialogue(const DialogueConfig& config) {
    return std::make_unique<BarrageDialogue>(config);
}

}  // namespace barrage::loadgen
