#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "base/clock.h"

namespace barrage::app {

// The token secret `serve` and `token` share: the configured one, or one generated on first use
// and kept in the data directory's database.
std::string resolve_token_secret(const Config& config);

// One Barrage node: loops, hub, listeners, store. Integration tests run it in process on port 0
// with a temporary data directory. Start and stop from one (the main) thread.
class Server {
public:
    explicit Server(Config config, const Clock& clock);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Opens the store, loads rooms, starts loops and listeners. Throws on start-up failure.
    void start();
    // Stops accepting, flushes pending batches and queued bytes, closes every connection
    // (waiting at most `drain_ms`), then stops the loops.
    void stop(Millis drain_ms = 3000);

    // "METHOD /pattern" of every HTTP route, as the route table has them (docs/protocol.md
    // lists the same; a test compares them).
    std::vector<std::string> endpoints() const;

    std::uint16_t http_port() const;
    std::uint16_t tcp_port() const;
    const std::string& token_secret() const;

    // SIGHUP: reads hooks.lua_script again; a script that does not load is refused (logged) and
    // the running one stays. Messages in flight are not dropped: each loop switches between two.
    void reload_hooks();

private:
    struct Parts;
    void open_economy(Parts& parts);
    void restore_moderation(Parts& parts);
    Config config_;
    const Clock& clock_;
    std::unique_ptr<Parts> parts_;
};

}  // namespace barrage::app
