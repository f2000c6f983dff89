// The floor of a broadcast server on this kernel: one thread, raw epoll, no framework. Speaks
// what `barrage bench --target ws` expects of the Node `ws` peer (bench/peers/ws-broadcast):
// a WebSocket upgrade on any path, then every text or binary message a client sends goes to
// every open client, the sender included, as one unmasked server frame.
//
// Each message's outgoing frame is built once into one shared buffer; the frames of all the
// messages one read() brought in go into that buffer one after another, and the buffer is written
// to each socket with one non-blocking send() (--send-per-message: one send() per message
// instead). Only when a socket cannot take it all is the unwritten tail copied into that
// socket's own pending buffer, which drains on EPOLLOUT. A socket whose pending bytes would pass
// 8 MiB is closed (counted). A client frame or fragmented message over 64 KiB closes that
// client. Ping is answered with pong, close with close.
//
// Why gather per read: a loopback send() costs ~6 µs of CPU here whatever its size
// (docs/PERFORMANCE.md, the kernel's floor), so a pass over 10,000 sockets takes ~60 ms; the
// messages that arrive meanwhile then share the next pass's send()s, which is how any server
// that writes what it has keeps up when the machine is full.
//
// Usage: epoll_broadcast [PORT] [--send-per-message]   (default port 9003; listens on
// 127.0.0.1). Prints a ready line, and its counters on SIGTERM/SIGINT.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t kMessageBytesMax = 64 * 1024;
constexpr std::size_t kPendingBytesMax = 8 * 1024 * 1024;
constexpr std::size_t kHandshakeBytesMax = 16 * 1024;
constexpr std::size_t kReadBytes = 256 * 1024;
constexpr int kAcceptsPerWakeMax = 1024;
constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

constexpr std::uint8_t kOpcodeContinuation = 0x0;
constexpr std::uint8_t kOpcodeText = 0x1;
constexpr std::uint8_t kOpcodeBinary = 0x2;
constexpr std::uint8_t kOpcodeClose = 0x8;
constexpr std::uint8_t kOpcodePing = 0x9;
constexpr std::uint8_t kOpcodePong = 0xA;

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void request_stop(int /*signal*/) {
    stop_requested = 1;
}

struct Connection {
    int fd = -1;
    bool upgraded = false;
    bool dead = false;
    bool watching_writable = false;
    std::size_t subscriber_index = 0;  // in Server::subscribers_, once upgraded
    std::string input;                 // handshake head, or a frame split across reads
    std::string pending;               // bytes the socket could not take yet
    std::size_t pending_offset = 0;
    std::uint8_t fragment_opcode = 0;  // text or binary while a fragmented message is open
    std::string fragment;
    std::size_t pending_bytes() const { return pending.size() - pending_offset; }
};

struct Counters {
    std::uint64_t accepted = 0;
    std::uint64_t messages = 0;
    std::uint64_t deliveries = 0;  // messages x subscribers
    std::uint64_t sends = 0;       // shared buffers handed to a socket
    std::uint64_t pending_copies = 0;
    std::uint64_t closed_overflow = 0;
    std::uint64_t closed_oversize = 0;
    std::uint64_t closed_protocol = 0;
};

// Case-insensitive search for a header's value in an HTTP head.
std::string_view header_value(std::string_view head, std::string_view name) {
    std::size_t line_start = head.find("\r\n");
    while (line_start != std::string_view::npos && line_start + 2 < head.size()) {
        line_start += 2;
        const std::size_t line_end = head.find("\r\n", line_start);
        const std::string_view line = head.substr(line_start, line_end - line_start);
        const std::size_t colon = line.find(':');
        if (colon == name.size() && ::strncasecmp(line.data(), name.data(), name.size()) == 0) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
                value.remove_prefix(1);
            }
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
                value.remove_suffix(1);
            }
            return value;
        }
        line_start = line_end;
    }
    return {};
}

std::string websocket_accept(std::string_view key) {
    std::string input(key);
    input.append(kWebSocketGuid);
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
    ::SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
    std::array<unsigned char, 4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1> encoded{};
    const int length = ::EVP_EncodeBlock(encoded.data(), digest.data(), SHA_DIGEST_LENGTH);
    return {reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length)};
}

void append_frame_header(std::string& out, std::uint8_t opcode, std::size_t payload_bytes) {
    out.push_back(static_cast<char>(0x80 | opcode));
    if (payload_bytes < 126) {
        out.push_back(static_cast<char>(payload_bytes));
    } else if (payload_bytes <= 0xFFFF) {
        out.push_back(static_cast<char>(126));
        out.push_back(static_cast<char>(payload_bytes >> 8));
        out.push_back(static_cast<char>(payload_bytes & 0xFF));
    } else {
        out.push_back(static_cast<char>(127));
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.push_back(static_cast<char>((static_cast<std::uint64_t>(payload_bytes) >> shift) & 0xFF));
        }
    }
}

class Server {
public:
    Server(std::uint16_t port, bool send_per_message) : send_per_message_(send_per_message), read_buffer_(kReadBytes) {
        outgoing_.reserve(kReadBytes + kMessageBytesMax);
        epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (epoll_ < 0 || listener_ < 0) {
            die("socket");
        }
        const int one = 1;
        ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(listener_, 65535) != 0) {
            die("listen");
        }
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = listener_;
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &event) != 0) {
            die("epoll_ctl");
        }
    }

    void run() {
        std::array<epoll_event, 512> events{};
        while (stop_requested == 0) {
            const int ready = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), -1);
            if (ready < 0) {
                if (errno == EINTR) {
                    continue;
                }
                die("epoll_wait");
            }
            for (int i = 0; i < ready; ++i) {
                const epoll_event& event = events[static_cast<std::size_t>(i)];
                if (event.data.fd == listener_) {
                    accept_all();
                    continue;
                }
                Connection* connection = connections_[static_cast<std::size_t>(event.data.fd)].get();
                if (connection == nullptr || connection->dead) {
                    continue;
                }
                if ((event.events & (EPOLLERR | EPOLLHUP)) != 0) {
                    kill(*connection);
                    continue;
                }
                if ((event.events & EPOLLOUT) != 0) {
                    flush(*connection);
                }
                if ((event.events & EPOLLIN) != 0 && !connection->dead) {
                    read_from(*connection);
                }
            }
            // Closed only here, so no connection goes away while a broadcast or a parse holds it.
            close_dead();
        }
    }

    void print_counters() const {
        std::printf(
            "epoll-broadcast: accepted %llu, open %zu, messages %llu, deliveries %llu, sends %llu, tails copied "
            "%llu, closed: pending over %zu MiB %llu, frame over %zu KiB %llu, protocol %llu\n",
            static_cast<unsigned long long>(counters_.accepted), subscribers_.size(),
            static_cast<unsigned long long>(counters_.messages), static_cast<unsigned long long>(counters_.deliveries),
            static_cast<unsigned long long>(counters_.sends), static_cast<unsigned long long>(counters_.pending_copies),
            kPendingBytesMax >> 20, static_cast<unsigned long long>(counters_.closed_overflow), kMessageBytesMax >> 10,
            static_cast<unsigned long long>(counters_.closed_oversize),
            static_cast<unsigned long long>(counters_.closed_protocol));
        std::fflush(stdout);
    }

private:
    [[noreturn]] static void die(const char* what) {
        std::perror(what);
        std::exit(1);
    }

    void accept_all() {
        for (int i = 0; i < kAcceptsPerWakeMax; ++i) {
            const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                const bool failed = errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED;
                if (failed && !accept_failure_reported_) {  // EMFILE and the like: said once
                    std::perror("accept4");
                    accept_failure_reported_ = true;
                }
                return;
            }
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.fd = fd;
            if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) {
                ::close(fd);
                continue;
            }
            if (static_cast<std::size_t>(fd) >= connections_.size()) {
                connections_.resize(static_cast<std::size_t>(fd) + 1024);
            }
            connections_[static_cast<std::size_t>(fd)] = std::make_unique<Connection>();
            connections_[static_cast<std::size_t>(fd)]->fd = fd;
            ++counters_.accepted;
        }
    }

    void read_from(Connection& connection) {
        const ssize_t got = ::recv(connection.fd, read_buffer_.data(), read_buffer_.size(), 0);
        if (got <= 0) {
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                kill(connection);
            }
            return;
        }
        const auto size = static_cast<std::size_t>(got);
        if (!connection.upgraded) {
            connection.input.append(read_buffer_.data(), size);
            upgrade(connection);
            return;
        }
        if (connection.input.empty()) {
            // The common case: whole frames, parsed where they were read; only a split tail is kept.
            const std::size_t used = consume_frames(connection, read_buffer_.data(), size);
            if (!connection.dead && used < size) {
                connection.input.assign(read_buffer_.data() + used, size - used);
            }
            flush_broadcast();
            return;
        }
        connection.input.append(read_buffer_.data(), size);
        const std::size_t used = consume_frames(connection, connection.input.data(), connection.input.size());
        if (!connection.dead) {
            connection.input.erase(0, used);
        }
        flush_broadcast();
    }

    void upgrade(Connection& connection) {
        const std::size_t end = connection.input.find("\r\n\r\n");
        if (end == std::string::npos) {
            if (connection.input.size() > kHandshakeBytesMax) {
                ++counters_.closed_protocol;
                kill(connection);
            }
            return;
        }
        const std::string_view head(connection.input.data(), end + 2);
        const std::string_view key = header_value(head, "Sec-WebSocket-Key");
        if (!head.starts_with("GET ") || key.empty()) {
            send_to(connection, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            ++counters_.closed_protocol;
            kill(connection);
            return;
        }
        std::string response =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: ";
        response.append(websocket_accept(key)).append("\r\n\r\n");
        send_to(connection, response);
        if (connection.dead) {
            return;
        }
        connection.upgraded = true;
        connection.subscriber_index = subscribers_.size();
        subscribers_.push_back(&connection);
        connection.input.erase(0, end + 4);
        if (!connection.input.empty()) {  // frames sent right behind the request
            const std::size_t used = consume_frames(connection, connection.input.data(), connection.input.size());
            if (!connection.dead) {
                connection.input.erase(0, used);
            }
            flush_broadcast();
        }
    }

    // Handles the whole frames in `data` (unmasking them in place); returns the bytes used.
    std::size_t consume_frames(Connection& connection, char* data, std::size_t size) {
        std::size_t offset = 0;
        while (!connection.dead) {
            const auto* bytes = reinterpret_cast<const std::uint8_t*>(data + offset);
            const std::size_t available = size - offset;
            if (available < 2) {
                return offset;
            }
            const bool final = (bytes[0] & 0x80) != 0;
            const std::uint8_t opcode = bytes[0] & 0x0F;
            std::size_t header_bytes = 2;
            std::uint64_t payload_bytes = bytes[1] & 0x7F;
            if ((bytes[0] & 0x70) != 0 || (bytes[1] & 0x80) == 0) {  // extensions, or an unmasked client frame
                return protocol_error(connection);
            }
            if (payload_bytes == 126) {
                header_bytes = 4;
                if (available < header_bytes) {
                    return offset;
                }
                payload_bytes = (std::uint64_t{bytes[2]} << 8) | bytes[3];
            } else if (payload_bytes == 127) {
                header_bytes = 10;
                if (available < header_bytes) {
                    return offset;
                }
                payload_bytes = 0;
                for (int i = 2; i < 10; ++i) {
                    payload_bytes = (payload_bytes << 8) | bytes[i];
                }
            }
            if (payload_bytes > kMessageBytesMax) {
                ++counters_.closed_oversize;
                kill(connection);
                return offset;
            }
            header_bytes += 4;  // the mask key
            if (available < header_bytes + payload_bytes) {
                return offset;
            }
            const std::uint8_t* mask = bytes + header_bytes - 4;
            char* payload = data + offset + header_bytes;
            for (std::size_t i = 0; i < payload_bytes; ++i) {
                payload[i] = static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ mask[i & 3]);
            }
            offset += header_bytes + payload_bytes;
            handle_frame(connection, final, opcode, std::string_view(payload, payload_bytes));
        }
        return offset;
    }

    void handle_frame(Connection& connection, bool final, std::uint8_t opcode, std::string_view payload) {
        switch (opcode) {
            case kOpcodeText:
            case kOpcodeBinary:
                if (connection.fragment_opcode != 0) {
                    protocol_error(connection);
                } else if (final) {
                    broadcast(opcode, payload);
                } else {
                    connection.fragment_opcode = opcode;
                    connection.fragment.assign(payload);
                }
                return;
            case kOpcodeContinuation:
                if (connection.fragment_opcode == 0) {
                    protocol_error(connection);
                    return;
                }
                if (connection.fragment.size() + payload.size() > kMessageBytesMax) {
                    ++counters_.closed_oversize;
                    kill(connection);
                    return;
                }
                connection.fragment.append(payload);
                if (final) {
                    const std::uint8_t message_opcode = connection.fragment_opcode;
                    connection.fragment_opcode = 0;
                    broadcast(message_opcode, connection.fragment);
                    connection.fragment.clear();
                }
                return;
            case kOpcodePing:
            case kOpcodeClose:
                if (!final || payload.size() > 125) {
                    protocol_error(connection);
                    return;
                }
                {
                    flush_broadcast();  // the reply goes behind the messages before it
                    std::string reply;
                    const bool close = opcode == kOpcodeClose;
                    // A close is answered with its status code (the reason is optional).
                    const std::string_view body = close ? payload.substr(0, payload.size() >= 2 ? 2 : 0) : payload;
                    append_frame_header(reply, close ? kOpcodeClose : kOpcodePong, body.size());
                    reply.append(body);
                    send_to(connection, reply);
                    if (close) {
                        kill(connection);
                    }
                }
                return;
            case kOpcodePong: return;
            default: protocol_error(connection); return;
        }
    }

    std::size_t protocol_error(Connection& connection) {
        ++counters_.closed_protocol;
        kill(connection);
        return 0;
    }

    // One frame for every open client, built once, sent with the read's other messages.
    void broadcast(std::uint8_t opcode, std::string_view payload) {
        append_frame_header(outgoing_, opcode, payload.size());
        outgoing_.append(payload);
        ++outgoing_messages_;
        ++counters_.messages;
        if (send_per_message_) {
            flush_broadcast();
        }
    }

    // The shared buffer to every open client, one send() each.
    void flush_broadcast() {
        if (outgoing_.empty()) {
            return;
        }
        for (Connection* subscriber : subscribers_) {
            if (!subscriber->dead) {
                send_to(*subscriber, outgoing_);
                counters_.deliveries += outgoing_messages_;
                ++counters_.sends;
            }
        }
        outgoing_.clear();
        outgoing_messages_ = 0;
    }

    // Writes `bytes` now as far as the socket takes them; keeps only the rest.
    void send_to(Connection& connection, std::string_view bytes) {
        if (connection.dead) {
            return;
        }
        if (connection.pending_bytes() == 0) {
            const ssize_t sent = ::send(connection.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                kill(connection);
                return;
            }
            if (sent > 0) {
                bytes.remove_prefix(static_cast<std::size_t>(sent));
            }
            if (bytes.empty()) {
                return;
            }
            connection.pending.clear();
            connection.pending_offset = 0;
            watch_writable(connection, true);
            ++counters_.pending_copies;
        }
        if (connection.pending_bytes() + bytes.size() > kPendingBytesMax) {
            ++counters_.closed_overflow;
            kill(connection);
            return;
        }
        connection.pending.append(bytes);
    }

    void flush(Connection& connection) {
        while (connection.pending_bytes() > 0) {
            const ssize_t sent = ::send(connection.fd, connection.pending.data() + connection.pending_offset,
                                        connection.pending_bytes(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (sent < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    kill(connection);
                }
                break;
            }
            connection.pending_offset += static_cast<std::size_t>(sent);
        }
        if (connection.pending_bytes() == 0) {
            connection.pending.clear();
            connection.pending_offset = 0;
            if (connection.pending.capacity() > 64 * 1024) {
                connection.pending.shrink_to_fit();
            }
            watch_writable(connection, false);
        } else if (connection.pending_offset > connection.pending.size() / 2) {
            connection.pending.erase(0, connection.pending_offset);
            connection.pending_offset = 0;
        }
    }

    void watch_writable(Connection& connection, bool writable) {
        if (connection.dead || connection.watching_writable == writable) {
            return;
        }
        epoll_event event{};
        event.events = EPOLLIN | (writable ? EPOLLOUT : 0u);
        event.data.fd = connection.fd;
        if (::epoll_ctl(epoll_, EPOLL_CTL_MOD, connection.fd, &event) != 0) {
            kill(connection);
            return;
        }
        connection.watching_writable = writable;
    }

    void kill(Connection& connection) {
        if (!connection.dead) {
            connection.dead = true;
            dead_.push_back(&connection);
        }
    }

    void close_dead() {
        for (Connection* connection : dead_) {
            if (connection->upgraded) {
                Connection* last = subscribers_.back();
                subscribers_[connection->subscriber_index] = last;
                last->subscriber_index = connection->subscriber_index;
                subscribers_.pop_back();
            }
            const int fd = connection->fd;
            connections_[static_cast<std::size_t>(fd)].reset();
            ::close(fd);  // also leaves the epoll set
        }
        dead_.clear();
    }

    int epoll_ = -1;
    int listener_ = -1;
    bool send_per_message_ = false;
    bool accept_failure_reported_ = false;
    std::vector<char> read_buffer_;
    std::string outgoing_;  // the frames of the messages of one read
    std::uint64_t outgoing_messages_ = 0;
    std::vector<std::unique_ptr<Connection>> connections_;  // by descriptor
    std::vector<Connection*> subscribers_;                  // upgraded, in no order
    std::vector<Connection*> dead_;
    Counters counters_;
};

void raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

int main(int argc, char** argv) {
    long port = 9003;
    bool send_per_message = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument == "--send-per-message") {
            send_per_message = true;
        } else {
            port = std::strtol(argv[i], nullptr, 10);
        }
    }
    if (port <= 0 || port > 65535) {
        std::fprintf(stderr, "usage: epoll_broadcast [PORT] [--send-per-message]\n");
        return 2;
    }
    raise_descriptor_limit();
    // No SA_RESTART: the signal interrupts epoll_wait, which then sees the flag.
    struct sigaction action {};
    action.sa_handler = request_stop;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    Server server(static_cast<std::uint16_t>(port), send_per_message);
    std::printf("epoll-broadcast listening on 127.0.0.1:%ld\n", port);
    std::fflush(stdout);
    server.run();
    server.print_counters();
    return 0;
}
