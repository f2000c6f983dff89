#include "http/hook_api.h"

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "base/log.h"
#include "base/utf8.h"
#include "http/responses.h"

namespace barrage::http {

namespace asio = boost::asio;
namespace json = boost::json;

Parsed<std::uint64_t> publish_lua(std::string source, std::string chunk_name, const hook::LuaHookOptions& options,
                                  hook::LuaScriptSource& scripts) {
    if (source.size() > kLuaScriptBytesMax) {
        return Refusal{make_error_code(Errc::body_too_large), "a Lua hook is at most 256 KiB"};
    }
    if (auto error = hook::LuaHook::check(source, chunk_name, options)) {
        return Refusal{make_error_code(Errc::bad_request), "the Lua hook does not load: " + *error};
    }
    return scripts.publish(std::move(source), std::move(chunk_name));
}

Parsed<std::uint64_t> publish_lua_file(const std::string& path, const hook::LuaHookOptions& options,
                                       hook::LuaScriptSource& scripts) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return Refusal{make_error_code(Errc::not_found), "cannot read " + path};
    }
    std::ostringstream text;
    text << file.rdbuf();
    return publish_lua(text.str(), path, options, scripts);
}

std::vector<Route> HookApi::routes() {
    return {
        {"GET", "/api/v1/admin/hooks/lua", Access::admin, [this](const Call& call) { return status(call); }},
        {"GET", "/api/v1/admin/hooks/webhook", Access::admin,
         [this](const Call& call) { return webhook_status(call); }},
        {"PUT", "/api/v1/admin/hooks/lua", Access::admin, [this](const Call& call) { return replace(call); }},
        {"POST", "/api/v1/admin/hooks/lua/reload", Access::admin, [this](const Call& call) { return reload(call); }},
    };
}

void HookApi::reload_from_file() {
    if (path_.empty()) {
        log::warn("SIGHUP: no hooks.lua_script configured, nothing to reload");
        return;
    }
    auto published = publish_lua_file(path_, options_, scripts_);
    if (!published) {
        log::error("SIGHUP: {} not reloaded, the running script stays: {}", path_, published.error().detail);
        return;
    }
    log::info("SIGHUP: {} reloaded as generation {}", path_, *published);
}

asio::awaitable<net::HttpResponse> HookApi::replace(const Call& call) {
    auto published = publish_lua(call.request.body, "api", options_, scripts_);
    if (!published) {
        co_return fail(published.error());
    }
    log::info("Lua hook replaced by user {} (generation {})", call.who().uid.value, *published);
    co_return ok(json::object{{"generation", *published}});
}

asio::awaitable<net::HttpResponse> HookApi::reload(const Call&) {
    if (path_.empty()) {
        co_return fail(make_error_code(Errc::not_found), "no hooks.lua_script is configured");
    }
    auto published = publish_lua_file(path_, options_, scripts_);
    if (!published) {
        co_return fail(published.error());
    }
    co_return ok(json::object{{"generation", *published}});
}

asio::awaitable<net::HttpResponse> HookApi::status(const Call&) {
    const auto counters = co_await hub_.lua_counters();
    co_return ok(json::object{{"generation", scripts_.generation()},
                              {"calls", counters.calls},
                              {"allowed", counters.allowed},
                              {"rejected", counters.rejected},
                              {"rewritten", counters.rewritten},
                              {"fell_back", counters.fell_back},
                              {"fault_instructions", counters.fault_instructions},
                              {"fault_memory", counters.fault_memory},
                              {"fault_error", counters.fault_error}});
}

asio::awaitable<net::HttpResponse> HookApi::webhook_status(const Call&) {
    const auto counters = co_await hub_.webhook_counters();
    co_return ok(json::object{{"calls", counters.calls},
                              {"allowed", counters.allowed},
                              {"rejected", counters.rejected},
                              {"rewritten", counters.rewritten},
                              {"fell_back", counters.fell_back},
                              {"fault_deadline", counters.fault_deadline},
                              {"fault_http_status", counters.fault_http_status},
                              {"fault_unreachable", counters.fault_unreachable},
                              {"fault_circuit_open", counters.fault_circuit_open},
                              {"fault_busy", counters.fault_busy},
                              {"fault_bad_answer", counters.fault_bad_answer}});
}

}  // namespace barrage::http
