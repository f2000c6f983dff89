// The Node `ws` broadcast peer (bench/peers/ws-broadcast): no handshake beyond the WebSocket
// upgrade, every text message a client sends is pushed to every client as is.

#include "loadgen/dialogue.h"

namespace barrage::loadgen {
namespace {

class TextBroadcastDialogue final : public Dialogue {
public:
    void append_greeting(std::string& /*out*/) override {}

    Status consume(std::string_view bytes, DialogueEvents& events, std::string& /*reply*/) override {
        events.on_payload(bytes);
        return {};
    }

    // Connected means subscribed: the server broadcasts to every open socket.
    DialogueState state() const override { return DialogueState::ready; }
    std::string_view failure() const override { return {}; }
    void append_heartbeat(std::string& /*out*/) override {}
    // One WebSocket message per publish: the server relays messages, not a stream.
    void append_publish(std::string& out, std::string_view text) override { out.append(text); }
};

}  // namespace

std::unique_ptr<Dialogue> make_text_broadcast_dialogue() {
    return std::make_unique<TextBroadcastDialogue>();
}

}  // namespace barrage::loadgen
