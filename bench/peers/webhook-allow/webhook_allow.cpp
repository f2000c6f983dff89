// The loopback webhook peer in C++ (the same contract as server.js, cheaper per request): one
// thread, epoll, keep-alive HTTP/1.1, every POST answered 200 {"action":"allow"}; GET /stats
// answers {"requests":N,"connections":N,"cpu_user_s":..,"cpu_system_s":..}. No signature check.
//
//   c++ -O2 -std=c++20 -o webhook-allow bench/peers/webhook-allow/webhook_allow.cpp
//   ./webhook-allow PORT      # prints "webhook-allow ready on 127.0.0.1:PORT"
//
// Requests are read up to the blank line and then Content-Length bytes of body (no chunked
// bodies: Barrage sends Content-Length), answered in order, pipelining included.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

constexpr std::string_view kAllow =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18\r\nConnection: keep-alive\r\n\r\n"
    "{\"action\":\"allow\"}";

unsigned long long requests = 0;
unsigned long long connections = 0;

std::string stats_answer() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    char body[256];
    const int size = std::snprintf(body, sizeof body,
                                   "{\"requests\":%llu,\"connections\":%llu,\"cpu_user_s\":%.6f,\"cpu_system_s\":%.6f}",
                                   requests, connections, usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6,
                                   usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
           std::string(body, static_cast<std::size_t>(size));
}

// Case-insensitive search for "content-length:" in the header block; its value or 0.
std::size_t content_length(std::string_view head) {
    constexpr std::string_view kName = "content-length:";
    for (std::size_t i = 0; i + kName.size() <= head.size(); ++i) {
        std::size_t j = 0;
        while (j < kName.size() && std::tolower(static_cast<unsigned char>(head[i + j])) == kName[j]) {
            ++j;
        }
        if (j == kName.size()) {
            return std::strtoull(head.data() + i + j, nullptr, 10);
        }
    }
    return 0;
}

struct Connection {
    std::string in;
    std::string out;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener, 1024) != 0) {
        std::perror("listen");
        return 1;
    }
    const int poller = epoll_create1(0);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listener;
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);
    std::printf("webhook-allow ready on 127.0.0.1:%d\n", port);
    std::fflush(stdout);

    std::unordered_map<int, Connection> open;
    epoll_event events[256];
    char buffer[65536];
    for (;;) {
        const int ready = epoll_wait(poller, events, 256, -1);
        for (int e = 0; e < ready; ++e) {
            const int fd = events[e].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    epoll_event added{};
                    added.events = EPOLLIN;
                    added.data.fd = client;
                    epoll_ctl(poller, EPOLL_CTL_ADD, client, &added);
                    open[client];
                    ++connections;
                }
                continue;
            }
            Connection& c = open[fd];
            bool closed = false;
            for (;;) {
                const ssize_t got = read(fd, buffer, sizeof buffer);
                if (got > 0) {
                    c.in.append(buffer, static_cast<std::size_t>(got));
                    if (static_cast<std::size_t>(got) < sizeof buffer) {
                        break;
                    }
                } else if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
                    break;
                } else {
                    closed = true;
                    break;
                }
            }
            // Answer every whole request in the buffer.
            std::size_t at = 0;
            for (;;) {
                const std::size_t end = c.in.find("\r\n\r\n", at);
                if (end == std::string::npos) {
                    break;
                }
                const std::string_view head(c.in.data() + at, end - at);
                const std::size_t whole = end + 4 + content_length(head);
                if (whole > c.in.size()) {
                    break;
                }
                if (head.starts_with("GET /stats")) {
                    c.out += stats_answer();
                } else {
                    ++requests;
                    c.out += kAllow;
                }
                at = whole;
            }
            c.in.erase(0, at);
            while (!c.out.empty()) {
                const ssize_t put = write(fd, c.out.data(), c.out.size());
                if (put <= 0) {
                    break;  // a full socket on loopback: rare; the rest goes with the next answer
                }
                c.out.erase(0, static_cast<std::size_t>(put));
            }
            if (closed) {
                epoll_ctl(poller, EPOLL_CTL_DEL, fd, nullptr);
                close(fd);
                open.erase(fd);
            }
        }
    }
}
