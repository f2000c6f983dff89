#pragma once

// Blocking live-room clients for integration tests: raw TCP and WebSocket, speaking the packet
// protocol to a server on loopback. Every wait has a deadline; a wait that runs out throws
// std::runtime_error naming what was awaited, which GoogleTest reports as the test's failure,
// so a test waiting for something that never comes fails in seconds instead of hanging.
//
// Owner thread only. Several clients may share one io_context (to keep descriptors low in
// fan-out tests) as long as they are all used from the same thread.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

#include "wire/codec.h"
#include "wire/packet.h"

namespace barrage::test {

// The safety net of every wait: generous, since it only matters when something is broken.
inline constexpr std::chrono::milliseconds kWaitMax{5000};

// Server pushes are decoded with the limits a client would use, not the server's client limits.
inline wire::DecodeLimits push_limits() {
    return wire::push_decode_limits();
}

// One packet as received: the inner packet (already inflated when it came compressed) and
// where it came from on the wire.
struct Received {
    wire::Packet packet;
    std::uint16_t outer_version = 0;  // version of the packet that carried it (2, 3 = compressed)
    std::uint32_t outer_length = 0;   // length field of that outer packet
    std::uint64_t message_index = 0;  // WebSocket: which message (0, 1, ...); TCP: which read
    std::size_t message_bytes = 0;    // WebSocket: size of that whole message; TCP: 0
    std::size_t message_packets = 0;  // WebSocket: outer packets in that message; TCP: 0

    // The op 5 body as JSON (throws when it is not JSON).
    boost::json::value json() const;
    // The op 5 "cmd" string, or "" when the packet is not an op 5 JSON object with one.
    std::string cmd() const;
};

struct ClientOptions {
    // Shared event loop (fan-out tests); null = the client owns one.
    boost::asio::io_context* context = nullptr;
    // SO_RCVBUF before connecting (slow-client tests); 0 = system default.
    int receive_buffer_bytes = 0;
    wire::DecodeLimits limits = push_limits();
};

class PacketClient {
public:
    virtual ~PacketClient();
    PacketClient(const PacketClient&) = delete;
    PacketClient& operator=(const PacketClient&) = delete;

    // "tcp" or "ws", for failure messages.
    virtual const char* transport() const = 0;

    // Sends bytes as they are: TCP writes them to the stream; WebSocket sends one binary message.
    virtual void send_raw(std::string_view bytes) = 0;
    void send_packet(wire::Operation operation, std::uint16_t version, std::string_view body,
                     std::uint32_t sequence = 1);
    // op 7, version 1, sequence 1.
    void send_auth(std::string_view body);
    // op 2, version 1, body "{}".
    void send_heartbeat();
    // op 4, version 1, with the given header sequence.
    void send_message(std::string_view body, std::uint32_t sequence = 1);

    // The next packet. Throws when `timeout` passes or the server closes first.
    Received next(std::chrono::milliseconds timeout = kWaitMax);
    // Skips packets until one satisfies `match`; `what` names it in the failure message.
    Received next_where(const std::function<bool(const Received&)>& match, std::string_view what,
                        std::chrono::milliseconds timeout = kWaitMax);
    // The next op 5 push whose cmd is `cmd` (others skipped).
    Received next_cmd(std::string_view cmd, std::chrono::milliseconds timeout = kWaitMax);
    // The next packet with this operation (others skipped).
    Received next_operation(wire::Operation operation, std::chrono::milliseconds timeout = kWaitMax);
    // The first packet with this operation, leaving the packets before it buffered for later
    // calls: for an answer the server may send after a push the test still wants (a sender's
    // own danmaku can be flushed before its op 1000 reply).
    Received take_operation(wire::Operation operation, std::chrono::milliseconds timeout = kWaitMax);
    // The op 8 reply (others skipped), as JSON.
    boost::json::object auth_reply(std::chrono::milliseconds timeout = kWaitMax);

    // Reads and discards until the server closes the connection. False when `timeout` passes
    // first. Undecodable bytes from the server throw.
    bool wait_closed(std::chrono::milliseconds timeout = kWaitMax);
    bool closed() const { return closed_; }
    // Packets decoded but not yet taken by next().
    std::size_t buffered() const { return packets_.size(); }

protected:
    PacketClient(ClientOptions options, std::unique_ptr<boost::asio::io_context> owned);

    // What one transport read produced: bytes, or the end of the connection.
    struct Chunk {
        std::string bytes;
        bool closed = false;
        std::string close_reason;
    };
    // Starts a read if none is in flight; the handler stores its result with complete_read().
    virtual void start_read() = 0;
    // True when chunks are whole WebSocket messages (decoded alone, counted as messages).
    virtual bool message_framed() const = 0;

    void complete_read(Chunk chunk);
    // Runs the loop until `done` is set or `deadline` passes; false on timeout.
    bool run_until(const bool& done, std::chrono::steady_clock::time_point deadline);
    // Lets a read still in flight finish (the caller has closed the socket): its handler refers
    // to the client, which must outlive it. For destructors.
    void drain_read();
    boost::asio::io_context& context() { return *context_; }
    const ClientOptions& options() const { return options_; }
    bool read_in_flight_ = false;

private:
    // Runs the loop until a chunk arrives or `deadline` passes; false on timeout.
    bool await_chunk(std::chrono::steady_clock::time_point deadline);
    void absorb(Chunk chunk);
    void decode_stream();
    void decode_message(std::string_view bytes);
    void decode_outer(std::string_view packet, std::uint16_t version, std::uint32_t length, std::size_t message_bytes,
                      std::size_t message_packets);

    ClientOptions options_;
    std::unique_ptr<boost::asio::io_context> owned_context_;
    boost::asio::io_context* context_;
    std::optional<Chunk> ready_;
    std::string stream_;  // TCP bytes not yet forming a whole packet
    std::deque<Received> packets_;
    std::uint64_t reads_ = 0;
    bool closed_ = false;
    std::string close_reason_;
};

// Connects to 127.0.0.1:port. Throw on failure.
std::unique_ptr<PacketClient> connect_tcp(std::uint16_t port, ClientOptions options = {});
// Connects and upgrades at ws://127.0.0.1:port/sub (Beast; in beast_clients.cpp).
std::unique_ptr<PacketClient> connect_ws(std::uint16_t port, ClientOptions options = {});

enum class Transport { tcp, ws };
const char* to_string(Transport transport);

}  // namespace barrage::test
