#include "purchase/first_answers.h"

#include <vector>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/assert.h"
#include "base/limits.h"
#include "base/log.h"

namespace barrage::purchase {

namespace asio = boost::asio;

std::size_t FirstAnswers::KeyHash::operator()(const Key& key) const noexcept {
    return std::hash<std::string>{}(key.request_id) ^ (key.scope.value * 0x9E3779B97F4A7C15ULL);
}

FirstAnswers::Turn& FirstAnswers::Turn::operator=(Turn&& other) noexcept {
    if (this != &other) {
        if (owner_) {
            owner_->release(key_);
        }
        owner_ = std::move(other.owner_);
        key_ = std::move(other.key_);
    }
    return *this;
}

FirstAnswers::Turn::~Turn() {
    if (owner_) {
        owner_->release(key_);
    }
}

std::optional<std::string> FirstAnswers::Turn::recorded() const {
    std::lock_guard lock(owner_->mutex_);
    auto found = owner_->entries_.find(key_);
    BARRAGE_ASSERT(found != owner_->entries_.end() && found->second.held);
    return found->second.answer;
}

void FirstAnswers::Turn::record(std::string event_answer) {
    std::lock_guard lock(owner_->mutex_);
    auto found = owner_->entries_.find(key_);
    BARRAGE_ASSERT(found != owner_->entries_.end() && found->second.held);
    found->second.answer = std::move(event_answer);
    found->second.durable = false;
}

asio::awaitable<Result<FirstAnswers::Turn>> FirstAnswers::take_turn(Key key) {
    auto initiate = [this, key](auto handler) {
        using Handler = decltype(handler);
        // The coroutine's handler is move-only; Resume is a std::function (copyable).
        auto shared = std::make_shared<Handler>(std::move(handler));
        enter(key, [shared](Status status) {
            auto home = asio::get_associated_executor(*shared);
            asio::post(home, [shared, status] { std::move (*shared)(status); });
        });
    };
    auto waiting =
        asio::async_initiate<decltype(asio::use_awaitable), void(Status)>(std::move(initiate), asio::use_awaitable);
    auto entered = co_await std::move(waiting);
    if (!entered) {
        co_return entered.error();
    }
    co_return Turn(shared_from_this(), std::move(key));
}

void FirstAnswers::enter(const Key& key, Resume resume) {
    Status status;
    {
        std::lock_guard lock(mutex_);
        expire(clock_.steady_ms());
        auto found = entries_.find(key);
        if (closed_) {
            status = make_error_code(Errc::shutting_down);
        } else if (found == entries_.end()) {
            if (entries_.size() >= limits::kFirstAnswersMax) {
                status = make_error_code(Errc::ledger_unavailable);
            } else {
                entries_[key].held = true;
            }
        } else if (!found->second.held) {
            found->second.held = true;
        } else if (found->second.waiting.size() >= limits::kFirstAnswerWaitersMax) {
            status = make_error_code(Errc::rate_limited);
        } else {
            found->second.waiting.push_back(std::move(resume));
            return;
        }
    }
    resume(status);
}

void FirstAnswers::release(const Key& key) {
    Resume next;
    {
        std::lock_guard lock(mutex_);
        auto found = entries_.find(key);
        BARRAGE_ASSERT(found != entries_.end() && found->second.held);
        auto& entry = found->second;
        if (!entry.waiting.empty()) {
            // The turn passes straight on: the entry stays held.
            next = std::move(entry.waiting.front());
            entry.waiting.pop_front();
        } else {
            entry.held = false;
            settle(found, clock_.steady_ms());
        }
    }
    if (next) {
        next(Status());
    }
}

void FirstAnswers::annotated(const Key& key, Status durable) {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) {
        return;
    }
    if (!durable) {
        // Kept in memory instead; a retry within kFirstAnswerKeptMs still gets it.
        log::warn("first answer of request {}:{} not annotated in the ledger: {}", key.scope.value, key.request_id,
                  durable.error().message());
        return;
    }
    found->second.durable = true;
    if (!found->second.held) {
        settle(found, clock_.steady_ms());
    }
}

void FirstAnswers::settle(Entries::iterator entry, Millis now_ms) {
    auto& state = entry->second;
    if (!state.answer || state.durable) {
        entries_.erase(entry);
        return;
    }
    state.expires_ms = now_ms + limits::kFirstAnswerKeptMs;
    if (!state.expiring) {
        state.expiring = true;
        expiries_.emplace_back(state.expires_ms, entry->first);
    }
}

void FirstAnswers::expire(Millis now_ms) {
    while (!expiries_.empty() && expiries_.front().first <= now_ms) {
        auto key = std::move(expiries_.front().second);
        expiries_.pop_front();
        auto found = entries_.find(key);
        if (found == entries_.end()) {
            continue;
        }
        auto& entry = found->second;
        entry.expiring = false;
        if (entry.held) {
            continue;  // listed again when released
        }
        if (entry.expires_ms <= now_ms) {
            entries_.erase(found);
        } else {
            entry.expiring = true;  // released again since it was listed
            expiries_.emplace_back(entry.expires_ms, std::move(key));
        }
    }
}

void FirstAnswers::close() {
    std::vector<std::deque<Resume>> dropped;
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
        for (auto& [key, entry] : entries_) {
            dropped.push_back(std::move(entry.waiting));
            entry.waiting.clear();
        }
    }
    // Destroyed outside the lock: a coroutine frame going away may release a turn of its own.
}

std::size_t FirstAnswers::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace barrage::purchase
