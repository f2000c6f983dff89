#pragma once

#include <memory>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "ledger/ledger.h"

namespace barrage::purchase {

// Submits `order` and resumes the calling coroutine, on its own loop, once the order's batch is
// durable (or refused). The ledger's callback runs on its acknowledging thread (after the sync)
// and only posts back.
inline boost::asio::awaitable<Result<ledger::Receipt>> submit(ledger::Ledger& ledger, ledger::Order order) {
    auto initiate = [&ledger, order = std::move(order)](auto handler) mutable {
        using Handler = decltype(handler);
        // Ledger::Done is a std::function (copyable); the coroutine's handler is move-only.
        auto shared = std::make_shared<Handler>(std::move(handler));
        ledger.submit(std::move(order), [shared](Result<ledger::Receipt> result) {
            auto home = boost::asio::get_associated_executor(*shared);
            boost::asio::post(
                home, [shared, result = std::move(result)]() mutable { std::move (*shared)(std::move(result)); });
        });
    };
    auto pending = boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Result<ledger::Receipt>)>(
        std::move(initiate), boost::asio::use_awaitable);
    co_return co_await std::move(pending);
}

}  // namespace barrage::purchase
