// The ledger killed mid-load: a child process submits orders as fast as it can and reports
// each acknowledgement through a pipe; the parent kills it with SIGKILL at a random moment,
// reopens the file and checks that every acknowledged order is there exactly once.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger/open_ledger.h"
#include "ledger_test_support.h"

namespace barrage::ledger {
namespace {

using testing::gift;
using testing::top_up;

constexpr int kAcknowledgementsBeforeKill = 3000;

// Order i of the load: mostly top-ups, every fourth a gift that may or may not be funded.
Order load_order(int i) {
    auto uid = static_cast<std::uint64_t>(1 + i % 17);
    if (i % 4 == 3) {
        return gift(uid, 99, 1 + i % 50, "g" + std::to_string(i));
    }
    return top_up(uid, 1 + i % 31, "t" + std::to_string(i));
}

// The child: never returns. Writes "<i>\n" for each order acknowledged as applied.
[[noreturn]] void run_child(const std::string& path, int pipe_fd) {
    SystemClock clock;
    auto ledger = open_sqlite_ledger({.path = path, .synchronous_full = true, .read_only = false}, clock, {});
    if (!ledger) {
        ::_exit(2);
    }
    // Orders submitted and not yet answered; kept under the queue limit so none is refused.
    static std::atomic<int> in_flight{0};
    for (int i = 0; i < 10'000'000; ++i) {
        while (in_flight.load() >= static_cast<int>(kQueueOrdersMax / 2)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ++in_flight;
        (*ledger)->submit(load_order(i), [pipe_fd, i](Result<Receipt> receipt) {
            if (receipt) {
                auto line = std::to_string(i) + "\n";
                // Small pipe writes are atomic; the parent reads whole numbers.
                (void)!::write(pipe_fd, line.data(), line.size());
            }
            --in_flight;
        });
    }
    ::pause();
    ::_exit(0);
}

TEST(LedgerCrash, EveryAcknowledgedOrderSurvivesAKillMidLoad) {
    testing::TempDatabase database;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(fds[0]);
        run_child(database.path(), fds[1]);
    }
    ::close(fds[1]);
    std::set<int> acknowledged;
    FILE* input = ::fdopen(fds[0], "r");
    int index = 0;
    while (acknowledged.size() < kAcknowledgementsBeforeKill && std::fscanf(input, "%d", &index) == 1) {
        acknowledged.insert(index);
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // Acknowledgements already in the pipe were sent before the kill: they count too.
    while (std::fscanf(input, "%d", &index) == 1) {
        acknowledged.insert(index);
    }
    std::fclose(input);
    ASSERT_TRUE(WIFSIGNALED(status));
    ASSERT_GE(acknowledged.size(), static_cast<std::size_t>(kAcknowledgementsBeforeKill));

    FakeClock clock;
    auto ledger =
        open_sqlite_ledger({.path = database.path(), .synchronous_full = false, .read_only = false}, clock, {});
    ASSERT_TRUE(ledger);
    auto report = (*ledger)->verify();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok()) << report->summary();
    for (int i : acknowledged) {
        auto again = (*ledger)->submit_and_wait(load_order(i));
        ASSERT_TRUE(again) << i;
        EXPECT_TRUE(again->replayed) << "order " << i << " was acknowledged but is not stored";
    }
    EXPECT_TRUE((*ledger)->verify()->ok());
}

}  // namespace
}  // namespace barrage::ledger
