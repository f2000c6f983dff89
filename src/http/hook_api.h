#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "gateway/hub.h"
#include "hook/lua_hook.h"
#include "hook/lua_script_source.h"
#include "http/body.h"
#include "http/router.h"

namespace barrage::http {

// Bytes of a Lua hook script: a hook is a page of code, not a program.
inline constexpr std::size_t kLuaScriptBytesMax = 256 * 1024;

// Checks `source` (LuaHook::check: it compiles, runs its top level within the budgets and
// defines on_message) and makes it the current script of every loop: the answer is its
// generation, or why not (Errc::bad_request with Lua's message), the running script staying.
Parsed<std::uint64_t> publish_lua(std::string source, std::string chunk_name, const hook::LuaHookOptions& options,
                                  hook::LuaScriptSource& scripts);
// The same from a file.
Parsed<std::uint64_t> publish_lua_file(const std::string& path, const hook::LuaHookOptions& options,
                                       hook::LuaScriptSource& scripts);

// The operator's Lua hook at run time (admins): PUT .../hooks/lua replaces the script with the
// request body, POST .../hooks/lua/reload reads hooks.lua_script again (as SIGHUP does), GET
// .../hooks/lua tells the generation running and the loops' call and fault counts.
class HookApi {
public:
    HookApi(std::string path, hook::LuaHookOptions options, hook::LuaScriptSource& scripts, gateway::Hub& hub)
        : path_(std::move(path)), options_(options), scripts_(scripts), hub_(hub) {}

    std::vector<Route> routes();
    // SIGHUP's work: logs what happened. Safe from any thread.
    void reload_from_file();

private:
    boost::asio::awaitable<net::HttpResponse> replace(const Call& call);
    boost::asio::awaitable<net::HttpResponse> reload(const Call& call);
    boost::asio::awaitable<net::HttpResponse> status(const Call& call);
    // GET .../hooks/webhook: every loop's webhook calls, verdicts and faults.
    boost::asio::awaitable<net::HttpResponse> webhook_status(const Call& call);

    std::string path_;
    hook::LuaHookOptions options_;
    hook::LuaScriptSource& scripts_;
    gateway::Hub& hub_;
};

}  // namespace barrage::http
