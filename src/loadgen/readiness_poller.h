#pragma once

#include <array>
#include <cstddef>

#include <sys/epoll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace barrage::loadgen {

namespace net = boost::asio;

// Waits for the readability of many sockets with an epoll set of its own, which asio watches
// as one descriptor. asio's own per-socket async_wait re-arms the descriptor with an
// epoll_ctl on every wait and schedules a completion per socket; here one wake-up serves a
// whole round of ready sockets, and a socket costs nothing between reads. Level-triggered:
// a reader that leaves bytes unread is called again on the next round.
// Owner thread only (the io_context's). Readers must be removed (or their sockets closed)
// before they are destroyed.
class ReadinessPoller {
public:
    class Reader {
    public:
        virtual void on_readable() = 0;

    protected:
        ~Reader() = default;
    };

    explicit ReadinessPoller(net::io_context& io);
    ~ReadinessPoller();
    ReadinessPoller(const ReadinessPoller&) = delete;
    ReadinessPoller& operator=(const ReadinessPoller&) = delete;

    // False when epoll refused the descriptor.
    bool add(int fd, Reader& reader);
    void remove(int fd);

private:
    void wait();
    void drain();

    net::posix::stream_descriptor epoll_;
    std::array<epoll_event, 256> events_{};
    bool waiting_ = false;
};

}  // namespace barrage::loadgen
