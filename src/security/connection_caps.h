#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace barrage::security {

// The key a client address is counted under: an IPv4 address as is, an IPv6 address by its
// /64 prefix (one subscriber gets a whole /64, so counting single v6 addresses caps nothing).
// "" for text that is not an address.
std::string address_key(std::string_view address);

// Connections per client address, and how close the process is to its descriptor limit. A
// connection holds a Lease for its whole life; the count goes down when the lease dies.
//
// Thread rule: safe from any thread (acquire and release take one mutex; they happen once per
// connection, not per packet).
class ConnectionCaps {
public:
    struct Options {
        // Connections one address may hold at once (long connections and HTTP alike); 0 = no
        // cap.
        std::size_t per_address_max = 1000;
        // Proxies whose own connections are not counted; the address they forward is.
        std::vector<std::string> trusted_proxies;
        // Pressure starts when fewer than this many descriptors remain below the process
        // limit: idle HTTP connections are then shed and kept alive only briefly.
        std::size_t descriptor_headroom = 256;
        // The process's descriptor limit; 0 = read RLIMIT_NOFILE.
        std::size_t descriptor_limit = 0;
    };

    class Lease {
    public:
        Lease() = default;
        Lease(Lease&& other) noexcept { swap(other); }
        Lease& operator=(Lease&& other) noexcept {
            Lease(std::move(other)).swap(*this);
            return *this;
        }
        ~Lease() { release(); }
        // Counts the connection under `address` too (a proxied client, once its forwarded
        // address is known); false, and nothing counted, when that address is at its cap.
        bool bind_address(std::string_view address);
        explicit operator bool() const { return caps_ != nullptr; }

    private:
        friend class ConnectionCaps;
        using Entry = std::pair<const std::string, std::size_t>;
        Lease(ConnectionCaps* caps, Entry* entry) : caps_(caps), entry_(entry) {}
        void swap(Lease& other) noexcept {
            std::swap(caps_, other.caps_);
            std::swap(entry_, other.entry_);
        }
        void release();

        ConnectionCaps* caps_ = nullptr;
        Entry* entry_ = nullptr;  // the address's count, or null when not counted
    };

    explicit ConnectionCaps(Options options);
    ConnectionCaps(const ConnectionCaps&) = delete;
    ConnectionCaps& operator=(const ConnectionCaps&) = delete;

    // A lease for a connection accepted from `address`, or nullopt when that address already
    // holds per_address_max. A trusted proxy's connection is counted for descriptors only.
    std::optional<Lease> acquire(std::string_view address);
    bool is_trusted_proxy(std::string_view address) const;

    // True when the open connections leave less than descriptor_headroom descriptors.
    bool under_pressure() const;
    // Connections holding a lease now.
    std::size_t open() const { return open_.load(std::memory_order_relaxed); }
    // Addresses with at least one connection (bounded by the connections themselves).
    std::size_t addresses() const;

    // Connections closed at once: their address was at its cap, or no descriptor was left.
    void count_descriptor_refusal() { refused_descriptors_.fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t refused_per_address() const { return refused_per_address_.load(std::memory_order_relaxed); }
    std::uint64_t refused_descriptors() const { return refused_descriptors_.load(std::memory_order_relaxed); }
    const Options& options() const { return options_; }

private:
    using Entry = Lease::Entry;
    // Counts one more connection for the address's key: its entry, or null at the cap (and
    // for text that is not an address, which is never capped).
    std::optional<Entry*> count_address(std::string_view address);
    void release(Entry* entry);

    Options options_;
    std::vector<std::string> trusted_keys_;
    std::size_t descriptor_limit_ = 0;
    std::size_t descriptors_at_start_ = 0;  // files, listeners, epoll and the like
    std::atomic<std::size_t> open_{0};
    std::atomic<std::uint64_t> refused_per_address_{0};
    std::atomic<std::uint64_t> refused_descriptors_{0};
    mutable std::mutex mutex_;
    // Leases point at their entry: a node-based map keeps it in place until it is erased.
    std::unordered_map<std::string, std::size_t> per_address_;  // guarded by mutex_
};

}  // namespace barrage::security
