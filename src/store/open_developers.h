#pragma once

#include <string>

#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// A change to who is a developer: whose role, who changed it, and why (for the audit log).
struct DeveloperChange {
    UserId uid{};
    UserId actor{};  // an admin, or 0 for the command line
    std::string reason{};
};

// The open platform's developers: users an operator allowed to create and manage apps. A role of
// its own, stored here rather than in message::Role, which is power in a room. Every change is
// audited. Blocking; the store pool, the CLI or start-up only.
class OpenDevelopers {
public:
    OpenDevelopers(Database& database, const Clock& clock) : database_(database), clock_(clock) {}

    Result<bool> is_developer(UserId uid);
    // Makes `change.uid` a developer: true when it changed, false when it was one already
    // (nothing written, nothing audited).
    Result<bool> grant(const DeveloperChange& change);
    // The reverse: true when `change.uid` was a developer. Its apps keep their status and keys.
    Result<bool> revoke(const DeveloperChange& change);

private:
    Database& database_;
    const Clock& clock_;
};

}  // namespace barrage::store
