#include "sandbox/proxy_command.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "base/log.h"

namespace barrage::sandbox {

namespace {

// Finds out at start, not at exit, that the report cannot be written where asked.
void check_writable(const std::string& report_path) {
    const std::string probe = report_path + ".tmp";
    if (!std::ofstream(probe, std::ios::binary | std::ios::trunc)) {
        throw std::runtime_error("sandbox-proxy: --report \"" + report_path + "\": cannot write there");
    }
    std::remove(probe.c_str());
}

}  // namespace

int run_proxy(ProxyOptions options, const std::string& report_path) {
    check_writable(report_path);
    // Signals are caught before the proxy says it listens, so a SIGTERM sent as soon as the
    // line appears still ends in a report.
    boost::asio::io_context signals_context(1);
    boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
    if (!is_loopback(options.listen)) {
        log::warn(
            "sandbox-proxy: {} is reachable from other machines: anyone who reaches it can send requests "
            "to {} through it",
            options.listen.text(), options.upstream.text());
    }
    SystemClock clock;
    SandboxProxy proxy(options, clock);
    proxy.start();
    log::info("sandbox-proxy: listening on {}, forwarding to {}; the report goes to {} on SIGINT or SIGTERM",
              ListenAddress{options.listen.address, proxy.port()}.text(), options.upstream.text(), report_path);
    signals.async_wait([](boost::system::error_code, int number) { log::info("signal {}: stopping", number); });
    signals_context.run();
    const auto report = proxy.stop();
    if (auto written = write_report(report_path, report); !written) {
        log::error("sandbox-proxy: cannot write the report to {}: {}", report_path, written.error().message());
        return 1;
    }
    log::info("sandbox-proxy: {} calls to {} endpoints; report written to {}", report.at("calls").as_uint64(),
              report.at("endpoints").as_object().size(), report_path);
    return 0;
}

}  // namespace barrage::sandbox
