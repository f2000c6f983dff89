#include "net/io_threads.h"

#include "base/assert.h"

namespace barrage::net {

IoThreads::IoThreads(std::size_t count) {
    BARRAGE_ASSERT(count > 0);
    for (std::size_t i = 0; i < count; ++i) {
        loops_.push_back(std::make_unique<Loop>());
    }
}

IoThreads::~IoThreads() {
    stop();
}

void IoThreads::start() {
    for (auto& loop : loops_) {
        loop->thread = std::thread([&context = loop->context] { context.run(); });
    }
}

void IoThreads::drain_and_join() {
    for (auto& loop : loops_) {
        loop->guard.reset();
    }
    for (auto& loop : loops_) {
        if (loop->thread.joinable()) {
            loop->thread.join();
        }
    }
}

void IoThreads::stop() {
    for (auto& loop : loops_) {
        loop->guard.reset();
        loop->context.stop();
    }
    for (auto& loop : loops_) {
        if (loop->thread.joinable()) {
            loop->thread.join();
        }
    }
}

}  // namespace barrage::net
