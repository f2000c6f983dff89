#include "net/send_buffer.h"

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

}  // namespace barrage::net
