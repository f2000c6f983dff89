#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "net/listeners.h"

namespace barrage::http {

// Bounds on the built pages held in memory (docs/security.md, "Web pages"). A page's bundle is
// tens of kilobytes; 8 MiB a file and 64 MiB in all leave room for charts and fonts while a
// wrong `[web] dir` (a home directory, a data set) cannot make start-up read gigabytes.
inline constexpr std::size_t kWebFileBytesMax = 8 * 1024 * 1024;
inline constexpr std::size_t kWebBytesMax = 64 * 1024 * 1024;
inline constexpr std::size_t kWebFilesMax = 1000;

// The Content-Security-Policy of every page shell: scripts, styles and connections from this
// server only (no inline script or style, no eval), images also from data: and blob: URLs (a
// page may draw one), no plugins, no <base>, forms post here, and framed only by this server's
// own pages. 'self' covers ws:/wss: to the same host in CSP Level 3 browsers (docs/web.md).
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

// The web pages as `npm run build` leaves them in web/dist (docs/web.md): one HTML shell per
// page (<dir>/<page>.html) and the bundles and stylesheets they load (<dir>/static/<name>,
// content-hashed names). Served at
//
//   /room/{id}  /overlay/{id}  /console/streamer  /console/developer  /dashboard
//        the page's shell: text/html, no-cache (a new build is seen at once), nosniff and the
//        strict kPageContentSecurityPolicy;
//   /static/<name>
//        a bundle or stylesheet: its type, nosniff and a year of immutable caching.
//
// Everything is read into memory by load() at start-up (a rebuild is served after a restart),
// so an answer is a lookup of a name among the loaded names, never a path opened on disk: no
// request reaches any other file, whatever its dots, slashes, encodings or NULs. Only regular
// files (not links) of a known type and within the bounds above are loaded.
//
// Thread rule: load() at start-up, before serving; serve() then from any thread (nothing
// changes after load()).
class WebPages {
public:
    explicit WebPages(std::filesystem::path directory);

    // Reads the shells and static files. A missing directory is logged (with how to build the
    // pages), not fatal: the pages then answer 503 and the rest of the server works.
    void load();

    // Whether `target` is one serve() answers: the page paths and /static/.
    static bool serves(std::string_view target);
    // The answer for `target` (one serves() accepts): the file, 404 for a name that is not
    // loaded, 405 for a method other than GET or HEAD, 503 when the pages were not built.
    net::HttpResponse serve(std::string_view method, std::string_view target) const;

    bool built() const { return built_; }

private:
    struct File {
        std::string media_type;
        std::string bytes;
    };

    std::filesystem::path directory_;
    std::map<std::string, File, std::less<>> shells_;   // "room.html"
    std::map<std::string, File, std::less<>> statics_;  // "room-4DLDUNME.js"
    bool built_ = false;
};

}  // namespace barrage::http
