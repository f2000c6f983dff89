// Gifts per second through the ledger alone: each gift is one order of two legs (viewer ->
// streamer, viewer -> platform) and two counter bumps (room board, gift number), idempotent on
// its request id, durable when its callback runs. Submitters keep a window of orders in flight
// (a closed loop, like many clients each waiting for its answer) and the writer group-commits
// whatever is queued. Reported: gifts/s, mean batch size, submit-to-durable-callback latency
// p50/p99, at synchronous=FULL and NORMAL. BM_DiskFsync measures the disk's flush rate, the
// ceiling for one-transaction-per-order designs.
//
// The database lives in $BARRAGE_BENCH_DIR (default: the system temp directory); put it on the
// disk you mean to measure.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <semaphore>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "ledger/open_ledger.h"

namespace {

using namespace barrage;
using namespace barrage::ledger;

constexpr int kGiftsPerRun = 100'000;
constexpr std::uint64_t kViewers = 1000;
constexpr std::uint64_t kStreamers = 50;

std::filesystem::path bench_dir() {
    const char* dir = std::getenv("BARRAGE_BENCH_DIR");
    return dir ? std::filesystem::path(dir) : std::filesystem::temp_directory_path();
}

void remove_database(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix);
    }
}

Order gift(std::uint64_t viewer, std::uint64_t streamer, std::string request_id) {
    Order order;
    order.request_id = std::move(request_id);
    order.scope = UserId{viewer};
    order.kind = "gift";
    order.fingerprint = "gift:1:" + std::to_string(streamer) + ":7:1:10";
    order.legs = {{AccountId::wallet(viewer), AccountId::earnings(streamer), 7, TransferCode::gift},
                  {AccountId::wallet(viewer), AccountId::platform(), 3, TransferCode::gift_platform_share}};
    order.room = RoomId{1};
    order.item = 7;
    order.count = 1;
    order.counters = {{"board:day:1:20261121:" + std::to_string(viewer), 10},
                      {"gift_number:1:" + std::to_string(viewer) + ":7", 1}};
    return order;
}

Order top_up(std::uint64_t viewer, Coins amount) {
    Order order;
    order.request_id = "fund-" + std::to_string(viewer);
    order.kind = "top_up";
    order.fingerprint = std::to_string(amount);
    order.legs = {{AccountId::external(), AccountId::wallet(viewer), amount, TransferCode::top_up}};
    return order;
}

// Submits `count` gifts from one thread, at most `window` unanswered at a time; records each
// one's submit-to-callback latency in nanoseconds.
void submit_gifts(Ledger& ledger, int first, int count, std::ptrdiff_t window, int run,
                  std::vector<std::int64_t>& latencies_ns, std::atomic<int>& failures) {
    std::counting_semaphore<> slots(window);
    for (int i = first; i < first + count; ++i) {
        slots.acquire();
        auto viewer = 1 + static_cast<std::uint64_t>(i) % kViewers;
        auto streamer = 1 + static_cast<std::uint64_t>(i) % kStreamers;
        auto id = "r" + std::to_string(run) + "-" + std::to_string(i);
        auto start = std::chrono::steady_clock::now();
        ledger.submit(gift(viewer, streamer, std::move(id)), [&, i, start](Result<Receipt> r) {
            auto elapsed = std::chrono::steady_clock::now() - start;
            latencies_ns[static_cast<std::size_t>(i)] =
                std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
            if (!r) {
                failures.fetch_add(1);
            }
            slots.release();
        });
    }
    // Wait for this thread's last answers before its semaphore goes away.
    for (std::ptrdiff_t i = 0; i < window; ++i) {
        slots.acquire();
    }
}

// CPU time of the whole process (writer and submitters), in microseconds: a figure that
// stays meaningful when other work shares the machine.
double process_cpu_us() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// CPU time of the ledger's writer thread (named "ledger-writer"), in microseconds; 0 when
// it is not found. The writer is the bottleneck: gifts per writer-second is the ledger's
// ceiling on a machine with a core to spare.
double writer_cpu_us() {
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        if (!std::getline(comm, name) || name != "ledger-writer") {
            continue;
        }
        std::ifstream stat(task.path() / "stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string field;
        double ticks = 0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i == 14 || i == 15) {  // utime, stime
                ticks += std::stod(field);
            }
        }
        return ticks * 1e6 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }
    return 0;
}

double percentile_ms(std::vector<std::int64_t> values_ns, double fraction) {
    std::sort(values_ns.begin(), values_ns.end());
    auto index = static_cast<std::size_t>(fraction * static_cast<double>(values_ns.size() - 1));
    return static_cast<double>(values_ns[index]) / 1e6;
}

// Args: synchronous_full (1/0), submitting threads, orders in flight in total.
void BM_LedgerGifts(benchmark::State& state) {
    bool full = state.range(0) != 0;
    int threads = static_cast<int>(state.range(1));
    auto window = static_cast<std::ptrdiff_t>(state.range(2) / threads);
    auto path = (bench_dir() / ("barrage_ledger_bench_" + std::to_string(::getpid()) + ".db")).string();
    remove_database(path);
    SystemClock clock;
    auto opened = open_sqlite_ledger({.path = path, .synchronous_full = full, .read_only = false}, clock, {});
    if (!opened) {
        state.SkipWithError("cannot open the ledger");
        return;
    }
    auto& ledger = **opened;
    for (std::uint64_t viewer = 1; viewer <= kViewers; ++viewer) {
        ledger.submit(top_up(viewer, 1'000'000'000), [](Result<Receipt>) {});
    }
    (void)ledger.submit_and_wait(top_up(kViewers + 1, 1));

    std::vector<std::int64_t> latencies_ns(kGiftsPerRun);
    std::atomic<int> failures{0};
    std::uint64_t batches = 0;
    std::uint64_t orders = 0;
    int run = 0;
    double cpu_start_us = process_cpu_us();
    double writer_start_us = writer_cpu_us();
    for (auto _ : state) {
        auto before = ledger.stats();
        std::vector<std::thread> submitters;
        int share = kGiftsPerRun / threads;
        for (int t = 0; t < threads; ++t) {
            submitters.emplace_back(
                [&, t] { submit_gifts(ledger, t * share, share, window, run, latencies_ns, failures); });
        }
        for (auto& submitter : submitters) {
            submitter.join();
        }
        auto after = ledger.stats();
        batches += after.batches - before.batches;
        orders += after.orders - before.orders;
        ++run;
    }
    double cpu_us = process_cpu_us() - cpu_start_us;
    double writer_us = writer_cpu_us() - writer_start_us;
    auto gifts = static_cast<std::int64_t>(state.iterations()) * kGiftsPerRun;
    state.SetItemsProcessed(gifts);
    state.counters["cpu_us_per_gift"] = cpu_us / static_cast<double>(gifts);
    state.counters["writer_us_per_gift"] = writer_us / static_cast<double>(gifts);
    state.counters["batch_mean"] = static_cast<double>(orders) / static_cast<double>(batches);
    state.counters["p50_ms"] = percentile_ms(latencies_ns, 0.50);
    state.counters["p99_ms"] = percentile_ms(latencies_ns, 0.99);
    state.counters["failures"] = failures.load();
    auto report = ledger.verify();
    if (!report || !report->ok()) {
        state.SkipWithError("verify failed after the run");
    }
    ledger.stop();
    opened->reset();
    remove_database(path);
}

BENCHMARK(BM_LedgerGifts)
    ->ArgNames({"full", "threads", "in_flight"})
    ->Args({1, 1, 16384})
    ->Args({1, 4, 16384})
    ->Args({1, 4, 1024})
    ->Args({0, 1, 16384})
    ->Args({0, 4, 16384})
    ->Args({0, 4, 1024})
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The disk's flush rate: append 4 KiB and fsync, as a commit at synchronous=FULL does.
void BM_DiskFsync(benchmark::State& state) {
    auto path = (bench_dir() / ("barrage_fsync_bench_" + std::to_string(::getpid()))).string();
    int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    if (fd < 0) {
        state.SkipWithError("cannot create the file");
        return;
    }
    std::vector<char> page(4096, 'x');
    for (auto _ : state) {
        if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size()) || ::fsync(fd) != 0) {
            state.SkipWithError("write or fsync failed");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    ::close(fd);
    std::filesystem::remove(path);
}

BENCHMARK(BM_DiskFsync)->MinTime(1.0)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
