// The kernel's price of one pushed frame over loopback TCP on this machine, with no Barrage
// code involved: one thread writes a frame to each of N server-side sockets every interval
// (TCP_NODELAY, one write() per frame, as a fan-out server does) and another thread receives
// them all with epoll and non-blocking reads (as a load generator does). Each thread's CPU
// time is divided by the frames it handled.
//
// Why it exists: fan-out point (ii) (10,000 subscribers, a batch every 50 ms) is 200,000
// frames a second, and server and load generator share the same cores. Multiplying the two
// per-frame figures by that rate says how many cores the kernel alone needs for the point,
// before either program does any work of its own (docs/PERFORMANCE.md).
//
// Usage: loopback_floor [--connections N] [--bytes B] [--rounds R] [--interval-ms MS]

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

struct Options {
    int connections = 5000;
    std::size_t bytes = 2750;  // a (ii) batch: ~11 native danmaku of ~250 B
    int rounds = 40;
    int interval_ms = 50;
};

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

double thread_cpu_seconds() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Closes a descriptor list on scope exit.
struct Descriptors {
    std::vector<int> fds;
    ~Descriptors() {
        for (int fd : fds) {
            ::close(fd);
        }
    }
};

sockaddr_in loopback(std::uint32_t host, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl((127u << 24) | host);
    return address;
}

// Opens `count` connected pairs: senders[i] is the accepted (server) side of receivers[i].
void open_pairs(int count, Descriptors& senders, Descriptors& receivers) {
    Descriptors listener;
    listener.fds.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (listener.fds[0] < 0) {
        fail("socket");
    }
    auto address = loopback(1, 0);
    socklen_t length = sizeof address;
    if (::bind(listener.fds[0], reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener.fds[0], 4096) != 0 ||
        ::getsockname(listener.fds[0], reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        fail("listen");
    }
    const int one = 1;
    for (int i = 0; i < count; ++i) {
        const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (client < 0) {
            fail("socket");
        }
        receivers.fds.push_back(client);
        // Sources spread over 127.0.0.2.. so ports never run out.
        ::setsockopt(client, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        auto source = loopback(2 + static_cast<std::uint32_t>(i % 200), 0);
        if (::bind(client, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
            fail("bind");
        }
        if (::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
            fail("connect");
        }
        const int server = ::accept4(listener.fds[0], nullptr, nullptr, SOCK_CLOEXEC);
        if (server < 0) {
            fail("accept");
        }
        senders.fds.push_back(server);
        ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
}

struct Side {
    double cpu_s = 0;
    std::uint64_t frames = 0;
    double us_per_frame() const { return frames == 0 ? 0 : cpu_s * 1e6 / static_cast<double>(frames); }
};

// Reads until `expected_bytes` have arrived.
Side receive_all(const std::vector<int>& sockets, std::uint64_t expected_bytes, std::size_t frame_bytes) {
    const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0) {
        fail("epoll_create1");
    }
    for (int fd : sockets) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd;
        if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
            fail("epoll_ctl");
        }
    }
    std::vector<char> buffer(256 * 1024);
    std::array<epoll_event, 256> events{};
    std::uint64_t received = 0;
    const double start = thread_cpu_seconds();
    while (received < expected_bytes) {
        const int ready = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 1000);
        if (ready == 0) {
            break;  // the sender gave up
        }
        for (int i = 0; i < ready; ++i) {
            const ssize_t got = ::read(events[static_cast<std::size_t>(i)].data.fd, buffer.data(), buffer.size());
            if (got > 0) {
                received += static_cast<std::uint64_t>(got);
            }
        }
    }
    Side side{.cpu_s = thread_cpu_seconds() - start, .frames = received / frame_bytes};
    ::close(epoll);
    return side;
}

Side send_rounds(const std::vector<int>& sockets, const Options& options) {
    const std::string frame(options.bytes, 'x');
    Side side;
    auto next = std::chrono::steady_clock::now();
    for (int round = 0; round < options.rounds; ++round) {
        const double start = thread_cpu_seconds();
        for (int fd : sockets) {
            if (::write(fd, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) {
                fail("write");
            }
        }
        side.cpu_s += thread_cpu_seconds() - start;
        side.frames += sockets.size();
        next += std::chrono::milliseconds(options.interval_ms);
        std::this_thread::sleep_until(next);
    }
    return side;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Kernel CPU per frame pushed over loopback TCP (send and receive), no Barrage code"};
    app.add_option("--connections", options.connections, "Connections")->check(CLI::Range(1, 9000));
    app.add_option("--bytes", options.bytes, "Bytes per frame")->check(CLI::Range(1, 1 << 20));
    app.add_option("--rounds", options.rounds, "Frames per connection")->check(CLI::Range(1, 10000));
    app.add_option("--interval-ms", options.interval_ms, "Pause between rounds")->check(CLI::Range(0, 10000));
    CLI11_PARSE(app, argc, argv);

    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);

    try {
        Descriptors senders;
        Descriptors receivers;
        open_pairs(options.connections, senders, receivers);
        const std::uint64_t expected = static_cast<std::uint64_t>(options.connections) *
                                       static_cast<std::uint64_t>(options.rounds) * options.bytes;
        Side received;
        std::thread receiver([&] { received = receive_all(receivers.fds, expected, options.bytes); });
        const Side sent = send_rounds(senders.fds, options);
        receiver.join();
        const double both = sent.us_per_frame() + received.us_per_frame();
        std::printf("loopback_floor: %d connections, %zu B frames, %d rounds every %d ms\n", options.connections,
                    options.bytes, options.rounds, options.interval_ms);
        std::printf("  send    %.2f us CPU per frame (%llu frames)\n", sent.us_per_frame(),
                    static_cast<unsigned long long>(sent.frames));
        std::printf("  receive %.2f us CPU per frame (%llu frames)\n", received.us_per_frame(),
                    static_cast<unsigned long long>(received.frames));
        std::printf("  both    %.2f us: 200,000 frames/s (10,000 receivers every 50 ms) need %.2f cores\n", both,
                    both * 200'000 / 1e6);
        return received.frames == sent.frames ? 0 : 1;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "loopback_floor: %s\n", error.what());
        return 1;
    }
}
