#pragma once

#include <cstddef>
#include <cstdint>

#include "base/ids.h"
#include "ledger/coins.h"

// The ledger's maxima, each with its reason. Orders past a shape limit are refused whole
// (Errc::bad_request or Errc::bad_amount) before anything is written.
namespace barrage::ledger {

// Largest amount of one leg: 10^12 coins is 10^11 yuan at 10 coins a yuan, far above any real
// purchase, and 16 legs of it cannot overflow a 64-bit balance within one order.
inline constexpr Coins kLegAmountMax = 1'000'000'000'000;

// Legs in one order. A gift with an app share has three; 16 leaves room for bundles.
inline constexpr std::size_t kLegsPerOrderMax = 16;

// Counter bumps in one order (leaderboards per day/week/all time, gift numbers).
inline constexpr std::size_t kCountersPerOrderMax = 16;
inline constexpr std::size_t kCounterNameBytesMax = 128;
// A bump is a count or an amount of coins, never more than one leg can carry.
inline constexpr Coins kCounterDeltaMax = kLegAmountMax;

// Client-chosen request id: 1..64 characters of [A-Za-z0-9_-:.]; fits a UUID or a
// "<uid>:<millis>:<n>" and stays readable in logs.
inline constexpr std::size_t kRequestIdBytesMax = 64;
// Order kind ("gift", "super_chat"), a short tag.
inline constexpr std::size_t kKindBytesMax = 32;
// The caller's canonical description of the request; compared byte for byte on retries.
inline constexpr std::size_t kFingerprintBytesMax = 1024;
// Opaque text stored with each journal row (super chat text is at most a few hundred bytes).
inline constexpr std::size_t kMemoBytesMax = 1024;
// A note on an idempotency record (the first answer's room event fields, a few dozen bytes).
inline constexpr std::size_t kAnnotationBytesMax = 1024;

// Orders in one transaction. A batch is whatever is queued when the writer looks, so batches
// grow only under load, where bigger is cheaper: one fsync, and each hot index page written
// once, for thousands of orders. The default (8192, ~0.15 s of writer time at full load) gave
// 10% more gifts/s than 4096 in bench/ledger_bench.cpp; the maximum bounds a batch's latency.
inline constexpr std::size_t kBatchOrdersDefault = 8192;
inline constexpr std::size_t kBatchOrdersMax = 16'384;
// Orders waiting for the writer: about a second of load at full speed. Past it submit fails
// the order at once with Errc::ledger_unavailable; the client retries with the same id.
inline constexpr std::size_t kQueueOrdersMax = 65'536;
// Annotations waiting for the writer: one per answered order, so the same bound. Past it an
// annotation fails at once (Errc::ledger_unavailable) and the caller keeps its note in memory.
inline constexpr std::size_t kQueueAnnotationsMax = kQueueOrdersMax;

// Committed batches waiting for their sync. The writer runs at most this far ahead of the
// disk; past it, it waits (and the submit queue fills, then refuses).
inline constexpr std::size_t kBatchesAwaitingSyncMax = 4;

// Balances cached by the writer. Past it the cache is dropped after a commit and reloads
// lazily: one SELECT per account instead of unbounded memory.
inline constexpr std::size_t kCachedAccountsMax = 1'000'000;
// Counters cached by the writer (leaderboard entries, gift numbers), likewise.
inline constexpr std::size_t kCachedCountersMax = 1'000'000;

// Idempotency records live at least a day (clients retry within minutes; a day covers a
// phone that was offline overnight). Default retention is two days.
inline constexpr Millis kRequestRetentionMinMs = 24LL * 3600 * 1000;
inline constexpr Millis kRequestRetentionDefaultMs = 48LL * 3600 * 1000;
// Records deleted per pruning pass, so one pass never stalls the writer for long.
inline constexpr std::size_t kPruneRowsPerPassMax = 10'000;

// Rows one read call returns.
inline constexpr std::size_t kJournalPageMax = 1000;
inline constexpr std::size_t kCountersPageMax = 1000;
// Journal rows one pass of the /metrics app revenue tally reads (AppRevenueTally): the reader
// connection is held that long, a few milliseconds, so wallet reads barely notice; a server
// that starts with a large journal catches up over a few passes.
inline constexpr std::size_t kTallyRowsPerPassMax = 20'000;
// Problems listed by name in a verify report; the counts are always complete.
inline constexpr std::size_t kVerifyListedMax = 100;

static_assert(kLegAmountMax * static_cast<Coins>(kLegsPerOrderMax) < INT64_MAX / 2);
static_assert(kBatchOrdersDefault <= kBatchOrdersMax);
static_assert(kBatchOrdersMax <= kQueueOrdersMax);
static_assert(kRequestRetentionMinMs <= kRequestRetentionDefaultMs);

}  // namespace barrage::ledger
