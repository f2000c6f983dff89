#pragma once

#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace barrage::net {

// N event loops, each an io_context run by exactly one thread. A connection and a room's home
// state each belong to one loop for life; loops exchange values with post().
// start/stop from the owning (main) thread; context(i) is safe from any thread.
class IoThreads {
public:
    explicit IoThreads(std::size_t count);
    ~IoThreads();
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;

    std::size_t size() const { return loops_.size(); }
    boost::asio::io_context& context(std::size_t index) { return loops_[index]->context; }
    boost::asio::any_io_executor executor(std::size_t index) { return loops_[index]->context.get_executor(); }

    void start();
    // Lets each loop finish once its work runs out (after sessions closed), then joins.
    void drain_and_join();
    // Stops every loop at once and joins.
    void stop();

private:
    struct Loop {
        boost::asio::io_context context{1};
        boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{context.get_executor()};
        std::thread thread;
    };
    std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace barrage::net
