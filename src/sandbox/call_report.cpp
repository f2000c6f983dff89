#include "sandbox/call_report.h"

#include <boost/json/value.hpp>

namespace barrage::sandbox {

namespace json = boost::json;

namespace {

constexpr std::array<UpstreamFailure, kUpstreamFailureKinds> kFailures{
    UpstreamFailure::connection_refused, UpstreamFailure::timeout, UpstreamFailure::answer_too_large,
    UpstreamFailure::bad_answer, UpstreamFailure::other};

json::object failures_json(const std::array<std::uint64_t, kUpstreamFailureKinds>& counts) {
    json::object out;
    for (auto failure : kFailures) {
        out[to_string(failure)] = counts[static_cast<std::size_t>(failure)];
    }
    return out;
}

// Milliseconds with microsecond resolution.
double as_ms(std::uint64_t us) {
    return static_cast<double>(us) / 1000.0;
}

}  // namespace

std::string_view to_string(UpstreamFailure failure) {
    switch (failure) {
        case UpstreamFailure::connection_refused: return "connection_refused";
        case UpstreamFailure::timeout: return "timeout";
        case UpstreamFailure::answer_too_large: return "answer_too_large";
        case UpstreamFailure::bad_answer: return "bad_answer";
        case UpstreamFailure::other: return "other";
    }
    return "other";
}

UpstreamFailure upstream_failure_of(std::error_code error) {
    if (error == std::errc::connection_refused) {
        return UpstreamFailure::connection_refused;
    }
    if (error == std::errc::timed_out) {
        return UpstreamFailure::timeout;
    }
    if (error == std::errc::message_size) {
        return UpstreamFailure::answer_too_large;
    }
    if (error == std::errc::bad_message) {
        return UpstreamFailure::bad_answer;
    }
    return UpstreamFailure::other;
}

template <class Key>
void CallReport::Tally<Key>::add(const Key& key, std::size_t distinct_max) {
    if (auto found = counts.find(key); found != counts.end()) {
        ++found->second;
        return;
    }
    if (counts.size() >= distinct_max) {
        ++other;
        return;
    }
    counts.emplace(key, 1);
}

CallReport::CallReport(Limits limits) : limits_(limits) {}

CallReport::Endpoint& CallReport::endpoint_for(std::string_view method, std::string_view path) {
    std::string key;
    key.reserve(method.size() + 1 + path.size());
    key.append(method).append(" ").append(path);
    if (auto found = endpoints_.find(key); found != endpoints_.end()) {
        return found->second;
    }
    if (endpoints_.size() >= limits_.endpoints_max) {
        if (!other_) {
            other_.emplace();
            other_->method = "*";
            other_->path = "*";
        }
        return *other_;
    }
    auto& made = endpoints_[std::move(key)];
    made.method = std::string(method);
    made.path = std::string(path);
    return made;
}

void CallReport::record(const Call& call) {
    ++calls_;
    auto& endpoint = endpoint_for(call.method, call.target.substr(0, call.target.find('?')));
    ++endpoint.calls;
    endpoint.statuses.add(call.status, limits_.values_max);
    endpoint.latency.record_us(call.latency_us);
    if (call.failure) {
        const auto kind = static_cast<std::size_t>(*call.failure);
        ++endpoint.failures[kind];
        ++failures_[kind];
        return;
    }
    if (call.code) {
        endpoint.codes.add(*call.code, limits_.values_max);
    } else {
        ++endpoint.without_code;
    }
}

void CallReport::record_refusal(unsigned status) {
    refusals_.add(status, limits_.values_max);
}

json::object CallReport::endpoint_json(const Endpoint& endpoint) {
    json::object statuses;
    for (const auto& [status, count] : endpoint.statuses.counts) {
        statuses[std::to_string(status)] = count;
    }
    if (endpoint.statuses.other > 0) {
        statuses["other"] = endpoint.statuses.other;
    }
    json::object codes;
    for (const auto& [code, count] : endpoint.codes.counts) {
        codes[std::to_string(code)] = count;
    }
    if (endpoint.codes.other > 0) {
        codes["other"] = endpoint.codes.other;
    }
    if (endpoint.without_code > 0) {
        codes["none"] = endpoint.without_code;
    }
    const auto& latency = endpoint.latency;
    return json::object{{"method", endpoint.method},
                        {"path", endpoint.path},
                        {"calls", endpoint.calls},
                        {"http_status", std::move(statuses)},
                        {"code", std::move(codes)},
                        {"latency_ms",
                         {{"count", latency.count()},
                          {"p50", as_ms(latency.percentile_us(0.50))},
                          {"p99", as_ms(latency.percentile_us(0.99))},
                          {"max", as_ms(latency.max_us())}}},
                        {"upstream_failures", failures_json(endpoint.failures)}};
}

json::object CallReport::to_json() const {
    json::object endpoints;
    for (const auto& [key, endpoint] : endpoints_) {
        endpoints[key] = endpoint_json(endpoint);
    }
    if (other_) {
        endpoints["other"] = endpoint_json(*other_);
    }
    json::object refused;
    for (const auto& [status, count] : refusals_.counts) {
        refused[std::to_string(status)] = count;
    }
    if (refusals_.other > 0) {
        refused["other"] = refusals_.other;
    }
    return json::object{{"calls", calls_},
                        {"endpoints", std::move(endpoints)},
                        {"upstream_failures", failures_json(failures_)},
                        {"refused", std::move(refused)}};
}

}  // namespace barrage::sandbox
