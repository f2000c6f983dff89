#pragma once

// `barrage sandbox-proxy`: runs a SandboxProxy until SIGINT or SIGTERM, then writes its report.

#include <string>

#include "sandbox/sandbox_proxy.h"

namespace barrage::sandbox {

// Logs "sandbox-proxy: listening on ADDRESS:PORT, forwarding to URL" once it serves (tests
// read the port from it), waits for SIGINT or SIGTERM, stops, writes the report to
// `report_path` and logs a one-line summary. Returns the exit code: 0, or 1 when the report
// could not be written. Start-up failures throw. Main thread only.
int run_proxy(ProxyOptions options, const std::string& report_path);

}  // namespace barrage::sandbox
