#include "security/connection_caps.h"

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>

#include <boost/asio/ip/address.hpp>

namespace barrage::security {

namespace {

std::size_t process_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
        return 1 << 20;
    }
    return static_cast<std::size_t>(limit.rlim_cur);
}

// Descriptors open now (Linux); 0 where /proc is not there.
std::size_t descriptors_open() {
    std::error_code ec;
    std::size_t count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) {
        ++count;
    }
    return count;
}

}  // namespace

std::string address_key(std::string_view address) {
    boost::system::error_code ec;
    auto parsed = boost::asio::ip::make_address(std::string(address), ec);
    if (ec) {
        return {};
    }
    if (parsed.is_v6() && parsed.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, parsed.to_v6()).to_string();
    }
    if (parsed.is_v4()) {
        return parsed.to_string();
    }
    auto bytes = parsed.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

ConnectionCaps::ConnectionCaps(Options options)
    : options_(std::move(options)),
      descriptor_limit_(options_.descriptor_limit != 0 ? options_.descriptor_limit : process_descriptor_limit()),
      descriptors_at_start_(descriptors_open()) {
    for (const auto& proxy : options_.trusted_proxies) {
        trusted_keys_.push_back(address_key(proxy));
    }
}

bool ConnectionCaps::is_trusted_proxy(std::string_view address) const {
    if (trusted_keys_.empty()) {
        return false;
    }
    auto key = address_key(address);
    return std::find(trusted_keys_.begin(), trusted_keys_.end(), key) != trusted_keys_.end();
}

std::optional<ConnectionCaps::Entry*> ConnectionCaps::count_address(std::string_view address) {
    auto key = address_key(address);
    if (key.empty() || options_.per_address_max == 0) {
        return nullptr;
    }
    std::lock_guard lock(mutex_);
    auto [entry, inserted] = per_address_.try_emplace(std::move(key), 0);
    if (entry->second >= options_.per_address_max) {
        refused_per_address_.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    ++entry->second;
    return &*entry;
}

std::optional<ConnectionCaps::Lease> ConnectionCaps::acquire(std::string_view address) {
    Entry* entry = nullptr;
    if (!is_trusted_proxy(address)) {
        auto counted = count_address(address);
        if (!counted) {
            return std::nullopt;
        }
        entry = *counted;
    }
    open_.fetch_add(1, std::memory_order_relaxed);
    return Lease(this, entry);
}

void ConnectionCaps::release(Entry* entry) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    if (entry == nullptr) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (--entry->second == 0) {
        per_address_.erase(per_address_.find(entry->first));
    }
}

bool ConnectionCaps::under_pressure() const {
    const std::size_t used = descriptors_at_start_ + open();
    return used + options_.descriptor_headroom >= descriptor_limit_;
}

std::size_t ConnectionCaps::addresses() const {
    std::lock_guard lock(mutex_);
    return per_address_.size();
}

bool ConnectionCaps::Lease::bind_address(std::string_view address) {
    if (caps_ == nullptr || entry_ != nullptr) {
        return caps_ != nullptr;
    }
    auto counted = caps_->count_address(address);
    if (!counted) {
        return false;
    }
    entry_ = *counted;
    return true;
}

void ConnectionCaps::Lease::release() {
    if (caps_ != nullptr) {
        caps_->release(entry_);
        caps_ = nullptr;
        entry_ = nullptr;
    }
}

}  // namespace barrage::security
