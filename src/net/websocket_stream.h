#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "net/packet_stream.h"
#include "net/stream_origin.h"
#include "wire/codec.h"

namespace barrage::net {

// A WebSocket long connection after the upgrade (which Beast answers in http_listener.cpp):
// RFC 6455 frames of our own (wire/websocket_frame.h) straight on the socket, so an idle
// connection costs what a raw TCP one does — no per-stream frame buffer, no pending read
// operation — and a push is one gathered sendmsg of the frame's shared header and bytes.
// Each binary (or text, which must be UTF-8) message holds whole packets.
std::unique_ptr<PacketStream> make_websocket_stream(boost::asio::ip::tcp::socket socket, StreamOrigin origin,
                                                    wire::DecodeLimits limits, std::size_t message_bytes_max);

}  // namespace barrage::net
