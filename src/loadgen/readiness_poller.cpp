#include "loadgen/readiness_poller.h"

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace barrage::loadgen {

ReadinessPoller::ReadinessPoller(net::io_context& io) : epoll_(io) {
    const int fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) {
        throw std::system_error(errno, std::system_category(), "epoll_create1");
    }
    epoll_.assign(fd);
}

ReadinessPoller::~ReadinessPoller() = default;

bool ReadinessPoller::add(int fd, Reader& reader) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.ptr = &reader;
    if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, fd, &event) != 0) {
        return false;
    }
    if (!waiting_) {
        wait();
    }
    return true;
}

void ReadinessPoller::remove(int fd) {
    epoll_event ignored{};
    ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_DEL, fd, &ignored);
}

void ReadinessPoller::wait() {
    waiting_ = true;
    epoll_.async_wait(net::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
        if (ec) {
            return;  // the io_context is stopping
        }
        waiting_ = false;
        drain();
        wait();
    });
}

// A few rounds, until nothing is ready, then back to asio: other work on the thread (connects,
// heartbeats, timers) runs between wake-ups. Sockets still ready wake the next wait at once.
void ReadinessPoller::drain() {
    constexpr int kRoundsMax = 4;
    for (int round = 0; round < kRoundsMax; ++round) {
        const int ready = ::epoll_wait(epoll_.native_handle(), events_.data(), static_cast<int>(events_.size()), 0);
        if (ready <= 0) {
            return;
        }
        for (int i = 0; i < ready; ++i) {
            static_cast<Reader*>(events_[static_cast<std::size_t>(i)].data.ptr)->on_readable();
        }
        if (static_cast<std::size_t>(ready) < events_.size()) {
            return;
        }
    }
}

}  // namespace barrage::loadgen
