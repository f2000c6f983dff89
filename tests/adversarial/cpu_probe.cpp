// cpu_probe FILE: how late the machine lets a thread run, per CPU, for the adversarial suite
// (adversarial_test.py). One thread per CPU, pinned to it, sleeps 2 ms at a time; every wake-up
// more than 2 ms late is appended to FILE as "CPU DUE WOKE" (CLOCK_MONOTONIC seconds, the clock
// of Python's time.monotonic()). Lateness is what the machine did to a thread that wanted to run
// on that CPU: other tasks on it, or a hypervisor that did not run the virtual CPU at all, which
// no schedstat inside the guest shows. Runs until stdin is closed. Written in C++ because a
// Python loop doing the same costs five times the CPU it is there to watch.

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

namespace {

constexpr long kSleepNs = 2'000'000;
constexpr double kLateS = 0.002;

double now_s() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

void watch(int cpu, std::FILE* out, std::mutex& mutex) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        return;
    }
    const timespec pause{0, kSleepNs};
    for (;;) {
        const double due = now_s() + static_cast<double>(kSleepNs) / 1e9;
        nanosleep(&pause, nullptr);
        const double woke = now_s();
        if (woke - due > kLateS) {
            const std::lock_guard lock(mutex);
            std::fprintf(out, "%d %.6f %.6f\n", cpu, due, woke);
            std::fflush(out);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fputs("usage: cpu_probe FILE\n", stderr);
        return 2;
    }
    std::FILE* out = std::fopen(argv[1], "a");
    if (out == nullptr) {
        std::perror(argv[1]);
        return 1;
    }
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
        std::perror("sched_getaffinity");
        return 1;
    }
    std::mutex mutex;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &allowed)) {
            std::thread(watch, cpu, out, std::ref(mutex)).detach();
        }
    }
    char byte = 0;
    while (read(STDIN_FILENO, &byte, 1) > 0) {
    }
    return 0;
}
