// barrage-loadgen: the `barrage bench` command as a standalone tool, so the fan-out harness
// can run against NATS and the ws peer without building the server.

#include <CLI/CLI.hpp>

#include "loadgen/bench_command.h"

int main(int argc, char** argv) {
    CLI::App app{"Barrage load generator: fan-out benchmark against barrage, nats or ws"};
    barrage::loadgen::BenchOptions options;
    barrage::loadgen::add_bench_options(app, options);
    CLI11_PARSE(app, argc, argv);
    return barrage::loadgen::run_bench(options);
}
