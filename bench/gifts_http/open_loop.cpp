// Open-loop HTTP load for gifts at a fixed rate (Debian's wrk has no fixed-rate mode and wrk2
// is not packaged). Request i is due at start + i / rate whatever happened to the earlier ones;
// it goes out on the first idle keep-alive connection, and its latency runs from when it was
// DUE, not when it was sent, so a stalled server shows up in the percentiles instead of
// slowing the load down (no coordinated omission). Every gift has a request id of its own.
//
// Standalone (POSIX sockets, epoll, one thread); bench/run_economy.sh compiles it with
//   g++ -O2 -std=c++20 open_loop.cpp -o open_loop
// Usage: open_loop --port P --rate R --seconds S --connections C --tokens FILE [--run TAG]
//                  [--warmup-s W] [--room N] [--gift N]
// Prints one line: OPENLOOP {json} (latencies of requests due after the warm-up).

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int port = 0;
    double rate = 5000;
    double seconds = 10;
    int connections = 64;
    std::string tokens_path;
    std::string run = "ol";
    double warmup_s = 1;
    int room = 1;
    int gift = 3;
};

struct Connection {
    int fd = -1;
    bool busy = false;
    std::int64_t request = -1;  // index of the request in flight
    std::string out;            // bytes not yet written
    std::string in;             // bytes read, not yet parsed
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "open_loop: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(2);
}

int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        die("socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        die("connect");
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;  // blocking: only read after epoll says so, and requests fit the send buffer
}

// A complete response at the front of `in`: its size, and whether it answered code 0. Returns
// 0 when more bytes are needed, -1 when it cannot be parsed.
std::int64_t parse_response(std::string_view in, bool& ok) {
    auto header_end = in.find("\r\n\r\n");
    if (header_end == std::string_view::npos) {
        return 0;
    }
    auto headers = in.substr(0, header_end);
    std::int64_t length = -1;
    std::size_t position = 0;
    while (position < headers.size()) {
        auto line_end = headers.find("\r\n", position);
        if (line_end == std::string_view::npos) {
            line_end = headers.size();
        }
        auto line = headers.substr(position, line_end - position);
        constexpr std::string_view kName = "content-length:";
        if (line.size() > kName.size()) {
            bool match = true;
            for (std::size_t i = 0; i < kName.size(); ++i) {
                if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) {
                    match = false;
                    break;
                }
            }
            if (match) {
                length = std::strtoll(std::string(line.substr(kName.size())).c_str(), nullptr, 10);
            }
        }
        position = line_end + 2;
    }
    if (length < 0) {
        return -1;
    }
    auto total = static_cast<std::int64_t>(header_end + 4) + length;
    if (static_cast<std::int64_t>(in.size()) < total) {
        return 0;
    }
    auto body = in.substr(header_end + 4, static_cast<std::size_t>(length));
    ok = in.substr(0, 13) == "HTTP/1.1 200 " && body.find("\"code\":0") != std::string_view::npos;
    return total;
}

double percentile_ms(std::vector<std::int64_t>& sorted_ns, double fraction) {
    if (sorted_ns.empty()) {
        return 0;
    }
    auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted_ns.size() - 1));
    return static_cast<double>(sorted_ns[index]) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string_view flag = argv[i];
        const char* value = argv[i + 1];
        if (flag == "--port")
            options.port = std::atoi(value);
        else if (flag == "--rate")
            options.rate = std::atof(value);
        else if (flag == "--seconds")
            options.seconds = std::atof(value);
        else if (flag == "--connections")
            options.connections = std::atoi(value);
        else if (flag == "--tokens")
            options.tokens_path = value;
        else if (flag == "--run")
            options.run = value;
        else if (flag == "--warmup-s")
            options.warmup_s = std::atof(value);
        else if (flag == "--room")
            options.room = std::atoi(value);
        else if (flag == "--gift")
            options.gift = std::atoi(value);
        else {
            std::fprintf(stderr, "open_loop: unknown flag %s\n", argv[i]);
            return 2;
        }
    }
    if (options.port <= 0 || options.rate <= 0 || options.connections <= 0 || options.tokens_path.empty()) {
        std::fprintf(stderr, "usage: open_loop --port P --rate R --seconds S --connections C --tokens FILE\n");
        return 2;
    }
    std::vector<std::string> tokens;
    {
        std::ifstream file(options.tokens_path);
        for (std::string line; std::getline(file, line);) {
            if (!line.empty()) {
                tokens.push_back(line);
            }
        }
    }
    if (tokens.empty()) {
        std::fprintf(stderr, "open_loop: no tokens in %s\n", options.tokens_path.c_str());
        return 2;
    }

    int epoll = ::epoll_create1(0);
    std::vector<Connection> connections(static_cast<std::size_t>(options.connections));
    auto open_connection = [&](std::size_t index) {
        auto& connection = connections[index];
        connection = Connection{};
        connection.fd = connect_to(options.port);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = index;
        if (::epoll_ctl(epoll, EPOLL_CTL_ADD, connection.fd, &event) != 0) {
            die("epoll_ctl");
        }
    };
    for (std::size_t i = 0; i < connections.size(); ++i) {
        open_connection(i);
    }

    const auto total = static_cast<std::int64_t>(options.rate * options.seconds);
    const auto interval_ns = 1e9 / options.rate;
    const auto warmup_requests = static_cast<std::int64_t>(options.rate * options.warmup_s);
    std::vector<std::int64_t> latencies_ns;
    latencies_ns.reserve(static_cast<std::size_t>(total));
    std::deque<std::int64_t> due;  // requests due and waiting for an idle connection
    std::vector<std::size_t> idle;
    for (std::size_t i = 0; i < connections.size(); ++i) {
        idle.push_back(i);
    }
    std::int64_t next = 0;  // the next request to become due
    std::int64_t answered = 0;
    std::int64_t ok_count = 0;
    std::int64_t failed = 0;
    std::int64_t broken = 0;  // connections lost with a request in flight
    std::size_t queue_max = 0;
    std::string first_failure;

    const auto start = Clock::now();
    auto due_time = [&](std::int64_t request) {
        return start + std::chrono::nanoseconds(static_cast<std::int64_t>(static_cast<double>(request) * interval_ns));
    };
    const auto give_up = start + std::chrono::nanoseconds(static_cast<std::int64_t>((options.seconds + 15) * 1e9));
    Clock::time_point last_answer = start;

    auto send_on = [&](std::size_t index, std::int64_t request) {
        auto& connection = connections[index];
        auto body = "{\"gift_id\":" + std::to_string(options.gift) + ",\"count\":1,\"request_id\":\"" + options.run +
                    "-" + std::to_string(request) + "\"}";
        const auto& token = tokens[static_cast<std::size_t>(request) % tokens.size()];
        connection.out = "POST /api/v1/rooms/" + std::to_string(options.room) +
                         "/gifts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\n\r\n" + body;
        connection.busy = true;
        connection.request = request;
        auto written = ::send(connection.fd, connection.out.data(), connection.out.size(), MSG_NOSIGNAL);
        if (written < 0 || static_cast<std::size_t>(written) != connection.out.size()) {
            // An idle loopback connection takes a few hundred bytes at once; anything else is
            // a broken connection.
            std::fprintf(stderr, "open_loop: short write (%zd)\n", written);
            std::exit(2);
        }
        connection.out.clear();
    };

    std::vector<epoll_event> events(connections.size());
    while (answered + broken < total) {
        auto now = Clock::now();
        if (now > give_up) {
            break;
        }
        while (next < total && due_time(next) <= now) {
            due.push_back(next++);
        }
        queue_max = std::max(queue_max, due.size());
        while (!due.empty() && !idle.empty()) {
            auto index = idle.back();
            idle.pop_back();
            send_on(index, due.front());
            due.pop_front();
        }
        int timeout_ms = 5;
        if (next < total) {
            auto wait = std::chrono::duration_cast<std::chrono::microseconds>(due_time(next) - Clock::now()).count();
            timeout_ms = static_cast<int>(std::clamp<std::int64_t>((wait + 999) / 1000, 0, 5));
        }
        int ready = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), timeout_ms);
        if (ready < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int e = 0; e < ready; ++e) {
            auto index = static_cast<std::size_t>(events[static_cast<std::size_t>(e)].data.u64);
            auto& connection = connections[index];
            char buffer[16384];
            auto got = ::recv(connection.fd, buffer, sizeof buffer, 0);
            if (got <= 0) {
                if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
                    continue;
                }
                if (connection.busy) {
                    ++broken;
                }
                ::epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, nullptr);
                ::close(connection.fd);
                open_connection(index);
                idle.push_back(index);
                continue;
            }
            connection.in.append(buffer, static_cast<std::size_t>(got));
            bool ok = false;
            auto size = parse_response(connection.in, ok);
            if (size < 0) {
                std::fprintf(stderr, "open_loop: unparsable response: %.200s\n", connection.in.c_str());
                return 2;
            }
            if (size == 0) {
                continue;
            }
            auto answered_at = Clock::now();
            last_answer = answered_at;
            if (!ok && first_failure.empty()) {
                first_failure = connection.in.substr(0, static_cast<std::size_t>(size));
            }
            connection.in.erase(0, static_cast<std::size_t>(size));
            ++answered;
            ok ? ++ok_count : ++failed;
            if (connection.request >= warmup_requests) {
                latencies_ns.push_back(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(answered_at - due_time(connection.request))
                        .count());
            }
            connection.busy = false;
            idle.push_back(index);
        }
    }
    std::sort(latencies_ns.begin(), latencies_ns.end());
    double elapsed_s = std::chrono::duration<double>(last_answer - start).count();
    for (auto& c : first_failure) {
        if (c == '"' || c == '\\' || c == '\r' || c == '\n') {
            c = ' ';
        }
    }
    std::printf(
        "OPENLOOP {\"target_rate\":%.0f,\"connections\":%d,\"due\":%lld,\"sent\":%lld,\"answered\":%lld,\"ok\":%lld,"
        "\"failed\":%lld,\"broken\":%lld,\"rps\":%.1f,\"queue_max\":%zu,\"measured\":%zu,\"p50_ms\":%.3f,"
        "\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"first_failure\":\"%.200s\"}\n",
        options.rate, options.connections, static_cast<long long>(total), static_cast<long long>(next),
        static_cast<long long>(answered), static_cast<long long>(ok_count), static_cast<long long>(failed),
        static_cast<long long>(broken), elapsed_s > 0 ? static_cast<double>(answered) / elapsed_s : 0.0, queue_max,
        latencies_ns.size(), percentile_ms(latencies_ns, 0.50), percentile_ms(latencies_ns, 0.90),
        percentile_ms(latencies_ns, 0.99), percentile_ms(latencies_ns, 0.999),
        latencies_ns.empty() ? 0.0 : static_cast<double>(latencies_ns.back()) / 1e6, first_failure.c_str());
    return answered == total && failed == 0 ? 0 : 1;
}
