#include "net/send_buffer.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <climits>

namespace barrage::net {

void cap_send_buffer(boost::asio::ip::tcp::socket& socket, std::size_t bytes) {
    if (bytes == 0) {
        return;
    }
    boost::system::error_code ignored;
    socket.set_option(
        boost::asio::socket_base::send_buffer_size(static_cast<int>(std::min<std::size_t>(bytes, INT_MAX))), ignored);
}

void limit_unsent(boost::asio::ip::tcp::socket& socket, std::size_t bytes) {
    if (bytes == 0) {
        return;
    }
    using NotSentLowWater = boost::asio::detail::socket_option::integer<IPPROTO_TCP, TCP_NOTSENT_LOWAT>;
    boost::system::error_code ignored;
    socket.set_option(NotSentLowWater(static_cast<int>(std::min<std::size_t>(bytes, INT_MAX))), ignored);
}

}  // namespace barrage::net
