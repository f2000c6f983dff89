#pragma once

#include <map>
#include <string>
#include <string_view>

#include "net/listeners.h"

namespace barrage::http {

// The demo gift catalogue's art at /gifts/<name> (heart.png, balloon-effect.png, ...): images
// drawn in code at start-up (app/demo_art.h) and held in memory, so a configured catalogue that
// names them works as the demo does. An answer is a lookup among the names put here, never a
// path opened on disk. Cached for a day (the names are stable, not content hashes: a new
// version's art arrives within a day), nosniff, and a policy that runs nothing if opened.
//
// Thread rule: put() at start-up, before serving; serve() then from any thread.
class GiftArt {
public:
    void put(std::string name, std::string media_type, std::string bytes);

    // Whether `target` is one serve() answers: the /gifts/ prefix.
    static bool serves(std::string_view target);
    // The file, 404 for any other name, 405 for a method other than GET or HEAD.
    net::HttpResponse serve(std::string_view method, std::string_view target) const;

private:
    struct File {
        std::string media_type;
        std::string bytes;
    };
    std::map<std::string, File, std::less<>> files_;
};

}  // namespace barrage::http
