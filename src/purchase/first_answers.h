#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"

namespace barrage::purchase {

// The first answers of purchases, between the answer and the moment the ledger holds them
// durably, and one turn per request: copies of one request (a client's retries, sent before its
// first try was answered) run one after another, so only one of them can ever show the room
// event.
//
// A purchase takes the turn of its (scope, request id), then asks the ledger:
// - a new order: it shows the room event, records what its answer says about the event here
//   (Turn::record) and asks the ledger to annotate the order's idempotency record with it;
// - a replay: it answers from the record's annotation, or else from here (the annotation is not
//   durable yet), or else — the event was never shown: the process died between the commit and
//   the event — it shows the event now and records it like a new one.
// An entry lives while a copy holds or waits for the turn, then until the ledger reports the
// annotation durable (annotated()); one whose annotation failed is dropped kFirstAnswerKeptMs
// after it was last released. At most kFirstAnswersMax entries (past it: ledger_unavailable)
// and kFirstAnswerWaitersMax waiting copies per request (past it: rate_limited).
//
// Thread rule: safe from any thread (one mutex); a waiting coroutine resumes on its own
// executor. Hold it by shared_ptr: turns and the ledger's callbacks keep it alive.
class FirstAnswers : public std::enable_shared_from_this<FirstAnswers> {
public:
    struct Key {
        UserId scope;
        std::string request_id;
        bool operator==(const Key&) const = default;
    };

    // One request's turn, held by one copy at a time and handed to the next waiting copy (or
    // given up) when destroyed. Move-only.
    class Turn {
    public:
        Turn(Turn&& other) noexcept = default;
        Turn& operator=(Turn&& other) noexcept;
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;
        ~Turn();

        // What an earlier copy's answer said about the event, if one was recorded.
        std::optional<std::string> recorded() const;
        // Records what this copy's answer says about the event.
        void record(std::string event_answer);

    private:
        friend class FirstAnswers;
        Turn(std::shared_ptr<FirstAnswers> owner, Key key) : owner_(std::move(owner)), key_(std::move(key)) {}

        std::shared_ptr<FirstAnswers> owner_;  // null once moved from
        Key key_;
    };

    explicit FirstAnswers(const Clock& clock) : clock_(clock) {}

    // Waits until no other copy of the request holds its turn, then holds it. Errors:
    // Errc::ledger_unavailable (too many requests held), Errc::rate_limited (too many copies).
    boost::asio::awaitable<Result<Turn>> take_turn(Key key);
    // The ledger's answer to annotating `key`'s record: once durable, the entry goes as soon as
    // no copy holds it.
    void annotated(const Key& key, Status durable);

    // Shutdown, with the loops stopped: drops every waiting copy (their coroutines end
    // unresumed) and refuses later ones (Errc::shutting_down), so nothing is posted to a loop
    // that is being torn down.
    void close();

    // Entries held now (for tests).
    std::size_t size() const;

private:
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept;
    };
    using Resume = std::function<void(Status)>;
    struct Entry {
        bool held = false;
        std::optional<std::string> answer;  // the recorded event answer
        bool durable = false;               // the ledger holds the answer
        bool expiring = false;              // listed in expiries_
        Millis expires_ms = 0;              // steady
        std::deque<Resume> waiting;         // copies waiting for the turn, first come first
    };
    using Entries = std::unordered_map<Key, Entry, KeyHash>;

    // Gives the turn to `resume` now (or a refusal), or queues it.
    void enter(const Key& key, Resume resume);
    void release(const Key& key);
    // With mutex_ held: drops an idle entry that is done, or lists it for expiry.
    void settle(Entries::iterator entry, Millis now_ms);
    // With mutex_ held: drops idle entries whose time has come.
    void expire(Millis now_ms);

    const Clock& clock_;
    mutable std::mutex mutex_;
    Entries entries_;                              // guarded by mutex_
    std::deque<std::pair<Millis, Key>> expiries_;  // guarded by mutex_; oldest first
    bool closed_ = false;                          // guarded by mutex_
};

}  // namespace barrage::purchase
