#pragma once

#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace barrage::net {

// Runs `work` on `target` (another loop's thread) and resumes the calling coroutine on its own
// executor with the result. Values cross threads; `work` must not touch the caller's objects.
template <class Work>
auto run_on(boost::asio::any_io_executor target, Work work) -> boost::asio::awaitable<std::invoke_result_t<Work&>> {
    using Value = std::invoke_result_t<Work&>;
    auto initiate = [target, work = std::move(work)](auto handler) mutable {
        boost::asio::post(target, [work = std::move(work), handler = std::move(handler)]() mutable {
            Value value = work();
            auto home = boost::asio::get_associated_executor(handler);
            boost::asio::post(home, [handler = std::move(handler), value = std::move(value)]() mutable {
                std::move(handler)(std::move(value));
            });
        });
    };
    co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Value)>(
        std::move(initiate), boost::asio::use_awaitable);
}

}  // namespace barrage::net
