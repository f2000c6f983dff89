#include "net/socket_stream.h"

namespace barrage::net {

using boost::asio::ip::tcp;

SocketStream::SocketStream(tcp::socket socket, bool websocket)
    : socket_(std::move(socket)), writer_(socket_, websocket) {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    auto endpoint = socket_.remote_endpoint(ec);
    remote_ = ec ? "?" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

void SocketStream::abort() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void SocketStream::shut_down_and_close() {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    abort();
}

}  // namespace barrage::net
