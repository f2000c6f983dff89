#pragma once

#include <memory>
#include <string>
#include <vector>

#include "loadgen/bench_command.h"
#include "loadgen/bench_report.h"

namespace barrage::loadgen {

class ClientThread;
class HttpPublisher;
class LatencyHistogram;
class PublishSource;
struct SubscriberClassReport;

// One benchmark run in phases: connect the subscribers, then either hold them idle or publish
// and drain, sampling the server around each phase; then stop every thread and add up.
// Driver thread only (the thread that calls run()); the client threads it starts own their
// connections.
class BenchRunner {
public:
    // `options` must already be validated and resolved (see bench_command.cpp).
    explicit BenchRunner(const BenchOptions& options);
    ~BenchRunner();

    BenchReport run();

private:
    void start_threads();
    void connect_subscribers();
    void hold_idle();
    void publish_and_drain();
    bool wait_for_measuring();
    void drain(std::uint64_t subscribers);
    void stop_threads();
    void add_up_deliveries();
    void add_up_classes();
    void add_up_http();
    void add_up_gifts();
    std::string request_prefix() const;
    void sample_server_start();
    void sample_server_end(double deliveries);

    std::uint64_t ready() const;
    std::uint64_t failed() const;
    std::uint64_t lost() const;
    std::uint64_t received() const;

    BenchOptions options_;
    BenchReport report_;
    std::size_t index_count_ = 0;  // measured publishes, the size of each recorder
    std::vector<std::unique_ptr<ClientThread>> subscriber_threads_;
    std::unique_ptr<ClientThread> publisher_thread_;
    std::unique_ptr<PublishSource> publisher_;
    HttpPublisher* http_publisher_ = nullptr;  // publisher_ when publishing over HTTP
    bool slow_readers_ = false;                // some subscribers read at a capped rate
    double server_cpu_start_s_ = 0;
    double loadgen_cpu_start_s_ = 0;
};

}  // namespace barrage::loadgen
