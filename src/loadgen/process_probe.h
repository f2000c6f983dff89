#pragma once

// What the benchmark reads about processes: CPU time and resident memory of the server under
// test (from /proc) and of the load generator itself, and the open-file limit it needs.

#include <cstdint>
#include <optional>

namespace barrage::loadgen {

struct ProcessSample {
    double cpu_seconds = 0;       // user + system since the process started
    std::uint64_t rss_bytes = 0;  // VmRSS
};

// Reads /proc/<pid>/stat (utime + stime over _SC_CLK_TCK) and /proc/<pid>/status (VmRSS).
// Nothing when the process is gone or unreadable.
std::optional<ProcessSample> sample_process(int pid);

// The same for this process.
std::optional<ProcessSample> sample_self();

// Raises the soft RLIMIT_NOFILE to the hard limit (each connection is one descriptor).
// Returns the soft limit now in force.
std::uint64_t raise_open_file_limit();

}  // namespace barrage::loadgen
