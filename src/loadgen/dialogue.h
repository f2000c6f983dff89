#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "loadgen/bench_command.h"

namespace barrage::loadgen {

// Where a dialogue reports what it finds in the received bytes.
class DialogueEvents {
public:
    // One pushed message's bytes (a Barrage op 5 body, a NATS MSG payload, a ws text message).
    virtual void on_payload(std::string_view payload) = 0;
    // Barrage's answer to a publish (op 1000): accepted when "code" is 0.
    virtual void on_publish_reply(bool accepted, std::string_view body) = 0;

protected:
    ~DialogueEvents() = default;
};

enum class DialogueState : std::uint8_t { starting, ready, failed };

// One target's protocol as spoken by one client connection, subscriber or publisher: what to
// send first, how to read what arrives, how to publish. Pure bytes in, bytes out; no I/O.
// Owner thread only.
class Dialogue {
public:
    virtual ~Dialogue() = default;

    // Bytes to send once the transport is open (auth, CONNECT+SUB); may append nothing.
    virtual void append_greeting(std::string& out) = 0;
    // Consumes received bytes: a whole WebSocket message for the ws peer; for Barrage and NATS,
    // which parse a stream, any piece (TCP read, WebSocket message or fragment). Appends
    // anything owed to the server (e.g. PONG) to `reply`. An error means the connection is
    // unusable.
    virtual Status consume(std::string_view bytes, DialogueEvents& events, std::string& reply) = 0;
    // starting until the server has accepted us (auth reply, PONG after SUB), then ready.
    virtual DialogueState state() const = 0;
    // Why the state is failed, for the report.
    virtual std::string_view failure() const = 0;
    // The periodic keep-alive the server expects (Barrage op 2); may append nothing.
    virtual void append_heartbeat(std::string& out) = 0;
    // One published message carrying `text`.
    virtual void append_publish(std::string& out, std::string_view text) = 0;
};

struct DialogueConfig {
    Target target = Target::barrage;
    std::uint64_t room = 1;  // barrage
    int protover = 0;        // barrage
    std::string token;       // barrage: sent as "key" in the auth body when not empty
    bool receive = true;     // barrage: false sends "receive":false (a publisher: answers only)
};

std::unique_ptr<Dialogue> make_dialogue(const DialogueConfig& config);

// Each target's dialogue, one per file.
std::unique_ptr<Dialogue> make_barrage_dialogue(const DialogueConfig& config);
std::unique_ptr<Dialogue> make_nats_dialogue();
std::unique_ptr<Dialogue> make_text_broadcast_dialogue();

}  // namespace barrage::loadgen
