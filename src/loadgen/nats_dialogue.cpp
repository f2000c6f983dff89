// The NATS client protocol as spoken over nats-server's WebSocket listener. The server's bytes
// are one text stream cut into WebSocket messages at arbitrary points, so this is a stream
// parser that carries partial lines and payloads to the next read.
//
//   server: INFO {...}\r\n   MSG <subject> <sid> [reply] <bytes>\r\n<payload>\r\n
//           PING\r\n   PONG\r\n   +OK\r\n   -ERR '...'\r\n
//   client: CONNECT {...}\r\n   SUB <subject> <sid>\r\n   PUB <subject> <bytes>\r\n<payload>\r\n
//           PING\r\n   PONG\r\n

#include <charconv>

#include "base/errc.h"
#include "wire/carry_buffer.h"
#include "loadgen/dialogue.h"

namespace barrage::loadgen {
namespace {

constexpr std::string_view kSubject = "bench";
constexpr std::string_view kLineEnd = "\r\n";
// A control line longer than this is not NATS (INFO is the longest, well under 4 KiB).
constexpr std::size_t kLineBytesMax = 64 * 1024;

class NatsDialogue final : public Dialogue {
public:
    // The PING after SUB is answered only once the server has processed CONNECT and SUB, so its
    // PONG means the subscription is live.
    void append_greeting(std::string& out) override {
        out.append("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB ");
        out.append(kSubject);
        out.append(" 1\r\nPING\r\n");
    }

    Status consume(std::string_view bytes, DialogueEvents& events, std::string& reply) override;

    DialogueState state() const override { return state_; }
    std::string_view failure() const override { return failure_; }
    void append_heartbeat(std::string& /*out*/) override {}  // the server PINGs us instead

    void append_publish(std::string& out, std::string_view text) override {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, text.size()).ptr;
        out.append("PUB ");
        out.append(kSubject);
        out.push_back(' ');
        out.append(digits, end);
        out.append(kLineEnd);
        out.append(text);
        out.append(kLineEnd);
    }

private:
    // Parses what it can from `bytes`; returns how many bytes it used.
    Result<std::size_t> parse(std::string_view bytes, DialogueEvents& events, std::string& reply);
    Status on_line(std::string_view line, std::string& reply);

    DialogueState state_ = DialogueState::starting;
    std::string failure_;
    wire::CarryBuffer pending_;      // unparsed tail carried to the next read
    std::size_t payload_bytes_ = 0;  // size of the MSG payload expected next
    bool in_payload_ = false;
};

Status NatsDialogue::consume(std::string_view bytes, DialogueEvents& events, std::string& reply) {
    const bool carried = !pending_.empty();
    if (carried) {
        pending_.append(bytes);
        bytes = pending_.view();
    }
    const auto used = parse(bytes, events, reply);
    if (!used) {
        return used.error();
    }
    if (carried) {
        pending_.consume(*used);
    } else {
        pending_.append(bytes.substr(*used));
    }
    if (pending_.size() > kLineBytesMax + payload_bytes_) {
        state_ = DialogueState::failed;
        failure_ = "NATS line too long";
        return make_error_code(Errc::packet_too_large);
    }
    return {};
}

Result<std::size_t> NatsDialogue::parse(std::string_view bytes, DialogueEvents& events, std::string& reply) {
    std::size_t used = 0;
    while (used < bytes.size()) {
        const std::string_view rest = bytes.substr(used);
        if (in_payload_) {
            if (rest.size() < payload_bytes_ + kLineEnd.size()) {
                break;
            }
            events.on_payload(rest.substr(0, payload_bytes_));
            used += payload_bytes_ + kLineEnd.size();
            in_payload_ = false;
            continue;
        }
        const std::size_t end = rest.find(kLineEnd);
        if (end == std::string_view::npos) {
            break;
        }
        if (auto handled = on_line(rest.substr(0, end), reply); !handled) {
            return handled.error();
        }
        used += end + kLineEnd.size();
    }
    return used;
}

Status NatsDialogue::on_line(std::string_view line, std::string& reply) {
    if (line.starts_with("MSG ")) {
        // The payload size is the last field: MSG <subject> <sid> [reply-to] <bytes>.
        const std::string_view size = line.substr(line.rfind(' ') + 1);
        const auto parsed = std::from_chars(size.data(), size.data() + size.size(), payload_bytes_);
        if (parsed.ec != std::errc{}) {
            state_ = DialogueState::failed;
            failure_ = "bad MSG line: " + std::string(line);
            return make_error_code(Errc::bad_request);
        }
        in_payload_ = true;
    } else if (line == "PING") {
        reply.append("PONG\r\n");
    } else if (line == "PONG") {
        if (state_ == DialogueState::starting) {
            state_ = DialogueState::ready;
        }
    } else if (line.starts_with("-ERR")) {
        state_ = DialogueState::failed;
        failure_ = std::string(line);
        return make_error_code(Errc::forbidden);
    }
    return {};  // INFO and +OK need no answer
}

}  // namespace

std::unique_ptr<Dialogue> make_nats_dialogue() {
    return std::make_unique<NatsDialogue>();
}

}  // namespace barrage::loadgen
