// The open platform's per-request and per-event work: checking a signed call (MD5 of the body,
// HMAC of the six headers, the nonce), checking a game's auth key, and spelling one room event
// for a game (an HMAC for the sender's open_id, then the JSON). Whole-server figures (signed
// calls per second with p99) are in docs/PERFORMANCE.md.

#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/digest.h"
#include "message/open_dialect.h"
#include "open/game_ticket.h"
#include "open/nonce_cache.h"
#include "open/signature.h"

namespace barrage {
namespace {

constexpr std::string_view kSecret = "0123456789abcdefghijklmnopqrst";
constexpr std::string_view kBody = R"({"code": "6CLO4O2RFGZUGQ", "app_id": 1650000000001})";

void BM_VerifySignedCall(benchmark::State& state) {
    open::NonceCache nonces({});
    const std::int64_t now_s = 1'764'000'000;
    std::uint64_t nonce = 0;
    const auto secret_of = [](std::string_view) { return std::optional<std::string>(std::string(kSecret)); };
    for (auto _ : state) {
        state.PauseTiming();
        open::SignedHeaders headers;
        headers.access_key_id = "key";
        headers.content_md5 = crypto::md5_hex(kBody);
        headers.signature_method = "HMAC-SHA256";
        headers.signature_nonce = std::to_string(++nonce);
        headers.signature_version = "1.0";
        headers.timestamp = std::to_string(now_s);
        headers.authorization = open::sign(kSecret, headers);
        state.ResumeTiming();
        benchmark::DoNotOptimize(open::verify_signature(headers, kBody, secret_of, now_s, nonces));
    }
}
BENCHMARK(BM_VerifySignedCall);

void BM_VerifyGameKey(benchmark::State& state) {
    const open::GameTickets tickets("server secret");
    const auto key = tickets.issue({"0b6f2c1e-6d2a-4c43-9f1e-2a7c9d1e5b40", 1650000000001, RoomId{42}});
    for (auto _ : state) {
        benchmark::DoNotOptimize(tickets.verify(key));
    }
}
BENCHMARK(BM_VerifyGameKey);

void BM_SpellDanmakuForAGame(benchmark::State& state) {
    const message::OpenAudience audience{.app_id = 1650000000001,
                                         .open_id_key = "open id key",
                                         .anchor_open_id = "0123456789abcdef0123456789abcdef",
                                         .anchor_name = "streamer",
                                         .anchor_face = ""};
    message::RoomMessage message;
    message.room = RoomId{42};
    message.time_ms = 1'764'000'000'000;
    message.sender.uid = UserId{1234};
    message.sender.name = "alice";
    message.body = message::Danmaku{.text = "一二三四五六七八九十 attack the boss now!"};
    std::vector<std::string> bodies;
    for (auto _ : state) {
        bodies.clear();
        ++message.sequence;
        message::encode_open_platform(message, audience, bodies);
        benchmark::DoNotOptimize(bodies.data());
    }
}
BENCHMARK(BM_SpellDanmakuForAGame);

}  // namespace
}  // namespace barrage
