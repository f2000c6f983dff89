#pragma once

// What the sandbox proxy saw an app do: per endpoint (method and path) the calls, the HTTP
// statuses and open-platform codes of the answers, latencies, and the upstream's failures;
// plus the requests the proxy refused itself. Bounded whatever the app sends: at most
// endpoints_max endpoints (later ones share "other") and values_max statuses and codes per
// endpoint (later ones share "other"); each endpoint's latencies are a fixed-size histogram.
// Owner thread only (the proxy's loop; the main thread once that loop has stopped).

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/object.hpp>

#include "loadgen/latency_histogram.h"

namespace barrage::sandbox {

// Why an upstream gave no answer. The app gets a 502 for each.
enum class UpstreamFailure {
    connection_refused,  // nobody listens at the upstream's address
    timeout,             // no whole answer within the upstream timeout (connecting included)
    answer_too_large,    // the answer's headers or body past their bounds
    bad_answer,          // the answer is not HTTP
    other,               // the connection was reset or closed early, or another socket error
};
inline constexpr std::size_t kUpstreamFailureKinds = 5;

std::string_view to_string(UpstreamFailure failure);
// The failure an error of net::http_exchange stands for.
UpstreamFailure upstream_failure_of(std::error_code error);

class CallReport {
public:
    struct Limits {
        // Distinct endpoints ("METHOD /path") reported by name; later ones are counted under
        // "other". Each costs a latency histogram (18 KiB), so this bounds the report's memory.
        std::size_t endpoints_max = 256;
        // Distinct HTTP statuses, and distinct codes, per endpoint; later ones under "other".
        std::size_t values_max = 32;
    };

    // One call the proxy forwarded (or tried to).
    struct Call {
        std::string_view method{};
        std::string_view target{};                 // path and query; the query is not part of the endpoint
        unsigned status = 0;                       // what the app got: the upstream's status, or 502
        std::optional<std::int64_t> code{};        // the answer's open-platform code, if any
        std::optional<UpstreamFailure> failure{};  // set when the upstream gave no answer
        std::uint64_t latency_us = 0;              // from the request's arrival to its answer
    };

    CallReport() : CallReport(Limits{}) {}
    explicit CallReport(Limits limits);

    void record(const Call& call);
    // A request the proxy answered itself (413 too large, 503 too many at once, ...): never
    // forwarded, counted by status.
    void record_refusal(unsigned status);

    std::uint64_t calls() const { return calls_; }
    std::size_t endpoints() const { return endpoints_.size(); }

    // {"calls", "endpoints": {"METHOD /path": {...}, "other": {...}}, "upstream_failures",
    // "refused"}; docs/open-platform.md ("Sandbox proxy") shows one.
    boost::json::object to_json() const;

private:
    // Counts by value, at most values_max distinct, the rest in `other`.
    template <class Key>
    struct Tally {
        std::map<Key, std::uint64_t> counts;
        std::uint64_t other = 0;
        void add(const Key& key, std::size_t distinct_max);
    };

    struct Endpoint {
        std::string method;
        std::string path;
        std::uint64_t calls = 0;
        Tally<unsigned> statuses;
        Tally<std::int64_t> codes;
        std::uint64_t without_code = 0;  // answers with no open-platform code
        std::array<std::uint64_t, kUpstreamFailureKinds> failures{};
        loadgen::LatencyHistogram latency;
    };

    Endpoint& endpoint_for(std::string_view method, std::string_view path);
    static boost::json::object endpoint_json(const Endpoint& endpoint);

    Limits limits_;
    std::uint64_t calls_ = 0;
    std::map<std::string, Endpoint> endpoints_;  // by "METHOD /path"
    std::optional<Endpoint> other_;              // endpoints past endpoints_max
    std::array<std::uint64_t, kUpstreamFailureKinds> failures_{};
    Tally<unsigned> refusals_;
};

}  // namespace barrage::sandbox
