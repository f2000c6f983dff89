#pragma once

#include <string>

#include "security/connection_caps.h"

namespace barrage::net {

// Where a long connection comes from, handed to the stream that serves it.
struct StreamOrigin {
    // "address:port" of the client: "" = the socket's peer; behind a trusted proxy, the
    // client's forwarded address.
    std::string remote;
    // What came with the request that opened the connection, read before the socket.
    std::string early_bytes;
    // The connection's place under its address's cap, released when the stream goes.
    security::ConnectionCaps::Lease lease;
};

}  // namespace barrage::net
