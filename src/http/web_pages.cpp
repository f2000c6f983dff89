#include "http/web_pages.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "base/errc.h"
#include "base/log.h"
#include "http/responses.h"

namespace barrage::http {

namespace {

constexpr std::string_view kStaticPrefix = "/static/";

// A page's URL and its shell. A page of one room takes the room's id, a decimal number.
struct PageRoute {
    std::string_view path;  // the whole path, or the prefix before the id
    bool with_id;
    std::string_view shell;
};
constexpr std::array kPageRoutes{
    PageRoute{.path = "/room/", .with_id = true, .shell = "room.html"},
    PageRoute{.path = "/overlay/", .with_id = true, .shell = "overlay.html"},
    PageRoute{.path = "/console/streamer", .with_id = false, .shell = "console-streamer.html"},
    PageRoute{.path = "/console/developer", .with_id = false, .shell = "console-developer.html"},
    PageRoute{.path = "/dashboard", .with_id = false, .shell = "dashboard.html"},
};
// Paths under these are answered here (a wrong page name is a 404 from here, not the API's).
constexpr std::array<std::string_view, 4> kServedPrefixes{"/static/", "/room/", "/overlay/", "/console/"};

// The types a page build produces, by extension; files of any other type are not served.
struct MediaType {
    std::string_view extension;
    std::string_view type;
};
constexpr std::array kMediaTypes{
    MediaType{.extension = ".html", .type = "text/html; charset=utf-8"},
    MediaType{.extension = ".js", .type = "text/javascript; charset=utf-8"},
    MediaType{.extension = ".css", .type = "text/css; charset=utf-8"},
    MediaType{.extension = ".map", .type = "application/json"},
    MediaType{.extension = ".json", .type = "application/json"},
    MediaType{.extension = ".png", .type = "image/png"},
    MediaType{.extension = ".webp", .type = "image/webp"},
    MediaType{.extension = ".gif", .type = "image/gif"},
    MediaType{.extension = ".jpg", .type = "image/jpeg"},
    MediaType{.extension = ".svg", .type = "image/svg+xml"},
    MediaType{.extension = ".ico", .type = "image/x-icon"},
    MediaType{.extension = ".woff2", .type = "font/woff2"},
};

std::optional<std::string_view> media_type_of(std::string_view name) {
    for (const auto& known : kMediaTypes) {
        if (name.ends_with(known.extension)) {
            return known.type;
        }
    }
    return std::nullopt;
}

// A name a build gives its files: letters, digits, '.', '_' and '-', not starting with a dot.
// Anything else (slashes, '%', NUL, "..") is never loaded and never looked up.
bool is_plain_name(std::string_view name) {
    constexpr std::size_t kNameBytesMax = 200;
    if (name.empty() || name.size() > kNameBytesMax || name.front() == '.') {
        return false;
    }
    for (const char c : name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '-';
        if (!plain) {
            return false;
        }
    }
    return true;
}

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find_first_of("?#"));
}

// The shell of the page at `path`, if it is one.
std::optional<std::string_view> shell_of(std::string_view path) {
    constexpr std::size_t kIdDigitsMax = 20;
    for (const auto& route : kPageRoutes) {
        if (!route.with_id) {
            if (path == route.path) {
                return route.shell;
            }
            continue;
        }
        if (!path.starts_with(route.path)) {
            continue;
        }
        const auto id = path.substr(route.path.size());
        if (!id.empty() && id.size() <= kIdDigitsMax && id.find_first_not_of("0123456789") == std::string_view::npos) {
            return route.shell;
        }
    }
    return std::nullopt;
}

// A regular file's bytes, at most `bytes_max` of them: opened without following a link, its
// type and size checked on the open descriptor (so it cannot be swapped between check and
// read), and read no further than the bound even if it grows meanwhile.
std::optional<std::string> read_bounded(const std::filesystem::path& path, std::size_t bytes_max, std::string& why) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        why = std::error_code(errno, std::generic_category()).message();
        return std::nullopt;
    }
    struct stat status {};
    std::optional<std::string> out;
    if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        why = "not a regular file";
    } else if (static_cast<std::size_t>(status.st_size) > bytes_max) {
        why = fmt::format("{} bytes, over the {} a file may have", status.st_size, bytes_max);
    } else {
        std::string bytes(static_cast<std::size_t>(status.st_size), '\0');
        std::size_t done = 0;
        while (done < bytes.size()) {
            const auto got = ::read(fd, bytes.data() + done, bytes.size() - done);
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                break;
            }
            done += static_cast<std::size_t>(got);
        }
        bytes.resize(done);
        out = std::move(bytes);
    }
    ::close(fd);
    return out;
}

net::HttpResponse not_built(const std::filesystem::path& directory) {
    return {.status = 503,
            .content_type = "text/plain; charset=utf-8",
            .body = fmt::format("The web pages are not built: run `npm ci && npm run build` in web/ (scripts/serve.sh "
                                "does), or point [web] dir at a built web/dist, then restart barrage serve. "
                                "Looked in: {}\n",
                                directory.string()),
            .headers = {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}}};
}

}  // namespace

WebPages::WebPages(std::filesystem::path directory) : directory_(std::move(directory)) {}

void WebPages::load() {
    std::error_code error;
    if (!std::filesystem::is_directory(directory_, error)) {
        log::info(
            "web pages: {} is not a directory: the pages answer 503 until they are built (npm ci && npm run "
            "build in web/, or scripts/serve.sh) and barrage serve restarts",
            directory_.string());
        return;
    }
    std::size_t files = 0;
    std::size_t bytes = 0;
    auto load_folder = [&](const std::filesystem::path& folder, std::map<std::string, File, std::less<>>& into,
                           bool shells_only) {
        std::error_code listing;
        for (std::filesystem::directory_iterator it(folder, listing), end; !listing && it != end;
             it.increment(listing)) {
            const auto name = it->path().filename().string();
            const auto type = media_type_of(name);
            if (!is_plain_name(name) || !type || (shells_only && !name.ends_with(".html"))) {
                continue;  // not a file a build makes (folders, dot files, unknown types)
            }
            if (files == kWebFilesMax) {
                log::warn("web pages: more than {} files in {}; the rest are not served", kWebFilesMax,
                          directory_.string());
                return;
            }
            std::string why;
            auto read = read_bounded(it->path(), std::min(kWebFileBytesMax, kWebBytesMax - bytes), why);
            if (!read) {
                if (why != "not a regular file") {
                    log::warn("web pages: {} is not served: {}", it->path().string(), why);
                }
                continue;
            }
            ++files;
            bytes += read->size();
            into.insert_or_assign(name, File{.media_type = std::string(*type), .bytes = std::move(*read)});
        }
        if (listing) {
            log::warn("web pages: cannot list {}: {}", folder.string(), listing.message());
        }
    };
    load_folder(directory_, shells_, true);
    load_folder(directory_ / "static", statics_, false);
    built_ = !shells_.empty();
    if (!built_) {
        log::warn("web pages: no page shells in {}: the pages answer 503 until they are built", directory_.string());
        return;
    }
    log::info("web pages: {} shells and {} files ({} bytes) from {}", shells_.size(), statics_.size(), bytes,
              directory_.string());
}

bool WebPages::serves(std::string_view target) {
    const auto path = path_of(target);
    if (shell_of(path)) {
        return true;
    }
    for (const auto prefix : kServedPrefixes) {
        if (path.starts_with(prefix)) {
            return true;
        }
    }
    return false;
}

net::HttpResponse WebPages::serve(std::string_view method, std::string_view target) const {
    if (method != "GET" && method != "HEAD") {
        auto refused = fail(make_error_code(Errc::method_not_allowed));
        refused.headers.emplace_back("Allow", "GET, HEAD");
        return refused;
    }
    if (!built_) {
        return not_built(directory_);
    }
    const auto path = path_of(target);
    if (auto shell = shell_of(path)) {
        auto found = shells_.find(*shell);
        if (found == shells_.end()) {
            return fail(make_error_code(Errc::not_found));
        }
        net::HttpResponse response{
            .status = 200, .content_type = found->second.media_type, .body = found->second.bytes};
        response.headers = {{"Cache-Control", "no-cache"},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Content-Security-Policy", std::string(kPageContentSecurityPolicy)},
                            {"Referrer-Policy", "same-origin"}};
        return response;
    }
    if (path.starts_with(kStaticPrefix)) {
        const auto name = path.substr(kStaticPrefix.size());
        auto found = is_plain_name(name) ? statics_.find(name) : statics_.end();
        if (found != statics_.end()) {
            net::HttpResponse response{
                .status = 200, .content_type = found->second.media_type, .body = found->second.bytes};
            response.headers = {{"Cache-Control", "public, max-age=31536000, immutable"},
                                {"X-Content-Type-Options", "nosniff"}};
            return response;
        }
    }
    return fail(make_error_code(Errc::not_found));
}

}  // namespace barrage::http
