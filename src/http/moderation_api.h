#pragma once

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/clock.h"
#include "gateway/hub.h"
#include "http/router.h"
#include "moderation/authority.h"
#include "moderation/global_bans.h"
#include "moderation/shared_word_list.h"
#include "moderation/text_normaliser.h"
#include "security/keyed_rate_limiter.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/moderation_store.h"

namespace barrage::http {

// Room management in real time (docs/moderation.md): mutes, bans, kicks, the room mute, chat
// modes and slow mode, managers, deleting messages, operator warnings and cut-offs, word lists,
// follows, and the audit log. Who may do what is moderation/authority.h, decided on the room's
// home loop with the room's own state (Hub::moderate), where the action also takes effect and
// its event goes out; the change and its audit line are then written in one transaction on the
// store pool before the answer. Platform-wide bans and the global word list are admin routes.
class ModerationApi {
public:
    ModerationApi(store::Database& database, boost::asio::any_io_executor store_executor, const Clock& clock,
                  gateway::Hub& hub, moderation::GlobalBans& global_bans, moderation::SharedWordList& global_words);

    std::vector<Route> routes();

private:
    struct Acted;
    using Act =
        std::function<Result<Acted>(room::Room&, moderation::RoomModeration&, Millis now_ms, message::Role actor_role)>;
    // Runs `act` on the room's home loop, publishes its event, stores its change with an audit
    // line, and answers its data.
    boost::asio::awaitable<net::HttpResponse> act(const Call& call, RoomId room, Act act);
    // An act that only checks the caller's power in the room (before reads and costly work).
    static Act only_check(moderation::Power power);

    boost::asio::awaitable<net::HttpResponse> impose(const Call& call, store::SanctionKind kind);
    boost::asio::awaitable<net::HttpResponse> lift(const Call& call, store::SanctionKind kind);
    boost::asio::awaitable<net::HttpResponse> list(const Call& call, store::SanctionKind kind);
    boost::asio::awaitable<net::HttpResponse> room_mute(const Call& call, bool on);
    boost::asio::awaitable<net::HttpResponse> chat_modes(const Call& call);
    // GET .../chat-modes: the modes in force and the room mute, if any (the streamer console
    // reads them back).
    boost::asio::awaitable<net::HttpResponse> current_modes(const Call& call);
    boost::asio::awaitable<net::HttpResponse> manager(const Call& call, bool appoint);
    boost::asio::awaitable<net::HttpResponse> delete_message(const Call& call);
    boost::asio::awaitable<net::HttpResponse> warn(const Call& call);
    boost::asio::awaitable<net::HttpResponse> follow(const Call& call, bool on);
    boost::asio::awaitable<net::HttpResponse> room_words(const Call& call, bool replace);
    boost::asio::awaitable<net::HttpResponse> global_words(const Call& call, bool replace);
    boost::asio::awaitable<net::HttpResponse> audit(const Call& call, bool global);
    boost::asio::awaitable<net::HttpResponse> global_ban(const Call& call, bool on);
    boost::asio::awaitable<net::HttpResponse> global_bans(const Call& call);

    // The user's name as stored ("" when unknown), for the events that name a target.
    boost::asio::awaitable<std::string> name_of(UserId user);

    store::ModerationStore store_;           // store pool only
    store::Directory directory_;             // store pool only
    moderation::TextNormaliser normaliser_;  // store pool only: compiles word lists there
    // Word list replacements per user (store pool only): a list of 500 regexes takes the store
    // thread seconds to compile, so nobody may ask for that in a loop.
    security::KeyedRateLimiter<std::uint64_t> compiles_;
    boost::asio::any_io_executor store_executor_;
    const Clock& clock_;
    gateway::Hub& hub_;
    moderation::GlobalBans& global_bans_;
    moderation::SharedWordList& global_words_;
};

}  // namespace barrage::http
