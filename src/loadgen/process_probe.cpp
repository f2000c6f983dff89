#include "loadgen/process_probe.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace barrage::loadgen {
namespace {

std::optional<double> read_cpu_seconds(const std::string& proc_dir) {
    std::ifstream file(proc_dir + "/stat");
    std::string line;
    if (!std::getline(file, line)) {
        return std::nullopt;
    }
    // The command name (field 2) is in parentheses and may contain spaces; count from the
    // last ')'. After it come field 3 (state) onwards; utime and stime are fields 14 and 15.
    const std::size_t close = line.rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(line.substr(close + 1));
    std::string skip;
    for (int field = 3; field < 14; ++field) {
        fields >> skip;
    }
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    if (!(fields >> utime >> stime)) {
        return std::nullopt;
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::optional<std::uint64_t> read_rss_bytes(const std::string& proc_dir) {
    std::ifstream file(proc_dir + "/status");
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream value(line.substr(6));
            std::uint64_t kib = 0;
            if (value >> kib) {
                return kib * 1024;
            }
        }
    }
    return std::nullopt;
}

std::optional<ProcessSample> sample_dir(const std::string& proc_dir) {
    const auto cpu = read_cpu_seconds(proc_dir);
    const auto rss = read_rss_bytes(proc_dir);
    if (!cpu || !rss) {
        return std::nullopt;
    }
    return ProcessSample{.cpu_seconds = *cpu, .rss_bytes = *rss};
}

}  // namespace

std::optional<ProcessSample> sample_process(int pid) {
    if (pid <= 0) {
        return std::nullopt;
    }
    return sample_dir("/proc/" + std::to_string(pid));
}

std::optional<ProcessSample> sample_self() {
    return sample_dir("/proc/self");
}

std::uint64_t raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<std::uint64_t>(limit.rlim_cur);
}

}  // namespace barrage::loadgen
