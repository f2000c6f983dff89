#include "hook/lua_hook.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <lua.hpp>

#include "hook/lua_script_source.h"

namespace barrage::hook {

namespace {

// The count hook fires every this many VM instructions (or every instructions_max, if lower).
constexpr std::uint64_t kInstructionStep = 1000;

// What a state may still spend. The allocator and the count hook find it through the state's
// allocator userdata.
struct Budget {
    std::size_t bytes = 0;
    std::size_t bytes_max = 0;
    std::size_t call_bytes_max = 0;
    std::size_t call_base_bytes = 0;
    bool in_call = false;
    std::uint64_t instructions = 0;
    std::uint64_t instructions_max = 0;
    // Set by the count hook once the budget is spent: from then on every tick raises again and
    // the sandbox's pcall re-raises, so a script cannot catch its way past the budget.
    bool over_instructions = false;
};

Budget& budget_of(lua_State* state) {
    void* user_data = nullptr;
    lua_getallocf(state, &user_data);
    return *static_cast<Budget*>(user_data);
}

// A lua_Alloc that refuses growth past the state's total and the current call's allowance.
// Shrinking never fails (Lua relies on it).
void* allocate(void* user_data, void* block, std::size_t old_size, std::size_t new_size) {
    auto& budget = *static_cast<Budget*>(user_data);
    // With no block, old_size is the kind of object Lua is about to create, not a size.
    const std::size_t old_bytes = block != nullptr ? old_size : 0;
    if (new_size == 0) {
        std::free(block);
        budget.bytes -= old_bytes;
        return nullptr;
    }
    if (new_size > old_bytes) {
        std::size_t limit = budget.bytes_max;
        if (budget.in_call) {
            limit = std::min(limit, budget.call_base_bytes + budget.call_bytes_max);
        }
        if (budget.bytes + (new_size - old_bytes) > limit) {
            return nullptr;
        }
    }
    void* resized = std::realloc(block, new_size);
    if (resized == nullptr) {
        return nullptr;
    }
    budget.bytes = budget.bytes - old_bytes + new_size;
    return resized;
}

void count_instructions(lua_State* state, lua_Debug* /*debug*/) {
    Budget& budget = budget_of(state);
    budget.instructions += std::min(kInstructionStep, budget.instructions_max);
    if (budget.instructions >= budget.instructions_max) {
        budget.over_instructions = true;
        luaL_error(state, "instruction budget exceeded");
    }
}

// pcall(f, ...) as Lua's, but an error raised because the instruction budget is spent goes on
// up: the script's own pcall cannot swallow it.
int guarded_pcall(lua_State* state) {
    luaL_checkany(state, 1);
    const int status = lua_pcall(state, lua_gettop(state) - 1, LUA_MULTRET, 0);
    if (budget_of(state).over_instructions) {
        return lua_error(state);
    }
    lua_pushboolean(state, status == LUA_OK ? 1 : 0);
    lua_insert(state, 1);
    return lua_gettop(state);
}

// xpcall(f, handler, ...) likewise.
int guarded_xpcall(lua_State* state) {
    const int arguments = lua_gettop(state);
    luaL_checktype(state, 2, LUA_TFUNCTION);
    lua_pushboolean(state, 1);
    lua_pushvalue(state, 1);
    lua_rotate(state, 3, 2);  // f, handler, true, f, arguments...
    const int status = lua_pcall(state, arguments - 2, LUA_MULTRET, 2);
    if (budget_of(state).over_instructions) {
        return lua_error(state);
    }
    if (status != LUA_OK) {
        lua_pushboolean(state, 0);
        lua_pushvalue(state, -2);
        return 2;
    }
    return lua_gettop(state) - 2;
}

// load(chunk [, name [, mode [, env]]]) as Lua's, with mode always "t": no bytecode, which
// could break the VM's invariants.
int text_only_load(lua_State* state) {
    // Lua's load tells an env of nil from none, so pass it only when given.
    const bool has_env = lua_gettop(state) >= 4;
    lua_settop(state, 4);
    lua_pushvalue(state, lua_upvalueindex(1));
    lua_pushvalue(state, 1);
    lua_pushvalue(state, 2);
    lua_pushliteral(state, "t");
    if (has_env) {
        lua_pushvalue(state, 4);
    }
    lua_call(state, has_env ? 4 : 3, LUA_MULTRET);
    return lua_gettop(state) - 4;
}

// setmetatable(t, mt) as Lua's, but a metatable with a finalizer is refused: Lua runs __gc
// with hooks off, so no instruction budget could cut a finalizer's loop short. (A __gc added
// to a metatable after setmetatable does not make the table finalizable.)
int no_finalizer_setmetatable(lua_State* state) {
    if (lua_type(state, 2) == LUA_TTABLE) {
        lua_pushliteral(state, "__gc");
        if (lua_rawget(state, 2) != LUA_TNIL) {
            return luaL_error(state, "finalizers (__gc) are not allowed in a hook");
        }
        lua_pop(state, 1);
    }
    lua_pushvalue(state, lua_upvalueindex(1));
    lua_insert(state, 1);
    lua_call(state, lua_gettop(state) - 1, 1);
    return 1;
}

// Opens the sandbox's libraries (run in protected mode: opening allocates).
int open_sandbox(lua_State* state) {
    luaL_requiref(state, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(state, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(state, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(state, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(state, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(state, 0);
    // Files, the collector's switches and the process's stdout and stderr are not the
    // script's business.
    for (const char* name : {"dofile", "loadfile", "collectgarbage", "print", "warn", "require"}) {
        lua_pushnil(state);
        lua_setglobal(state, name);
    }
    lua_getglobal(state, "string");
    lua_pushnil(state);
    lua_setfield(state, -2, "dump");
    lua_pop(state, 1);
    lua_pushcfunction(state, guarded_pcall);
    lua_setglobal(state, "pcall");
    lua_pushcfunction(state, guarded_xpcall);
    lua_setglobal(state, "xpcall");
    lua_getglobal(state, "load");
    lua_pushcclosure(state, text_only_load, 1);
    lua_setglobal(state, "load");
    lua_getglobal(state, "setmetatable");
    lua_pushcclosure(state, no_finalizer_setmetatable, 1);
    lua_setglobal(state, "setmetatable");
    return 0;
}

int find_on_message(lua_State* state) {
    if (lua_getglobal(state, "on_message") != LUA_TFUNCTION) {
        return luaL_error(state, "the script defines no global function on_message");
    }
    return 0;
}

// One call's message in and answer out. The answer's strings point into Lua strings that
// stay on the stack until the call ends.
struct CallFrame {
    const HookMessage* message = nullptr;
    HookAction action = HookAction::allow;
    std::string_view text;  // the reason or the new text
    const char* bad_answer = nullptr;
};

void push_text(lua_State* state, const std::string& text) {
    lua_pushlstring(state, text.data(), text.size());
}

std::string_view string_at(lua_State* state, int index) {
    std::size_t size = 0;
    const char* data = lua_tolstring(state, index, &size);
    return {data, size};
}

// Reads on_message's two results at stack indexes 1 and 2 (return convention: docs/hooks.md).
void read_answer(lua_State* state, CallFrame& frame) {
    switch (lua_type(state, 1)) {
        case LUA_TNIL: frame.action = HookAction::allow; return;
        case LUA_TBOOLEAN:
            if (lua_toboolean(state, 1) != 0) {
                frame.action = HookAction::allow;
                return;
            }
            frame.action = HookAction::reject;
            if (lua_type(state, 2) == LUA_TSTRING) {
                frame.text = string_at(state, 2);
            } else if (lua_type(state, 2) != LUA_TNIL) {
                frame.bad_answer = "a reject's reason is not a string";
            }
            return;
        case LUA_TSTRING:
            frame.action = HookAction::rewrite;
            frame.text = string_at(state, 1);
            return;
        case LUA_TTABLE: {
            lua_pushliteral(state, "reject");
            const int reject = lua_rawget(state, 1);
            lua_pushliteral(state, "text");
            const int text = lua_rawget(state, 1);
            if (reject == LUA_TSTRING && text == LUA_TNIL) {
                frame.action = HookAction::reject;
                frame.text = string_at(state, -2);
            } else if (text == LUA_TSTRING && reject == LUA_TNIL) {
                frame.action = HookAction::rewrite;
                frame.text = string_at(state, -1);
            } else {
                frame.bad_answer = "a table answer holds one string field: reject or text";
            }
            return;
        }
        default: frame.bad_answer = "an answer is nil, a boolean, a string or a table";
    }
}

int run_on_message(lua_State* state) {
    auto& frame = *static_cast<CallFrame*>(lua_touserdata(state, 1));
    lua_settop(state, 0);
    if (lua_getglobal(state, "on_message") != LUA_TFUNCTION) {
        return luaL_error(state, "on_message is not a function");
    }
    const HookMessage& message = *frame.message;
    lua_createtable(state, 0, 6);
    lua_pushinteger(state, static_cast<lua_Integer>(message.room));
    lua_setfield(state, -2, "room");
    lua_pushinteger(state, static_cast<lua_Integer>(message.uid));
    lua_setfield(state, -2, "uid");
    push_text(state, message.uname);
    lua_setfield(state, -2, "uname");
    push_text(state, message.role);
    lua_setfield(state, -2, "role");
    push_text(state, message.kind);
    lua_setfield(state, -2, "kind");
    push_text(state, message.text);
    lua_setfield(state, -2, "text");
    lua_call(state, 1, 2);
    read_answer(state, frame);
    return lua_gettop(state);
}

}  // namespace

// One Lua state with its budget. Owner thread only.
class LuaSandbox {
public:
    explicit LuaSandbox(const LuaHookOptions& options) {
        budget_.bytes_max = options.memory_bytes_max;
        budget_.call_bytes_max = options.call_memory_bytes_max;
        budget_.instructions_max = std::max<std::uint64_t>(options.instructions_max, 1);
    }
    ~LuaSandbox() {
        if (state_ == nullptr) {
            return;
        }
        // Finalizers (__gc) run on close: with the budget spent, one that loops is cut off at
        // its first tick.
        budget_.in_call = false;
        budget_.instructions = budget_.instructions_max;
        budget_.over_instructions = true;
        lua_close(state_);
    }
    LuaSandbox(const LuaSandbox&) = delete;
    LuaSandbox& operator=(const LuaSandbox&) = delete;

    // Opens the libraries and runs the script's top level: "" when it loaded, else why not.
    std::string start(std::string_view source, std::string_view chunk_name) {
        state_ = lua_newstate(allocate, &budget_);
        if (state_ == nullptr) {
            return "not enough memory for a Lua state";
        }
        const auto step = static_cast<int>(std::min(kInstructionStep, budget_.instructions_max));
        lua_sethook(state_, count_instructions, LUA_MASKCOUNT, step);
        begin(false);
        lua_pushcfunction(state_, open_sandbox);
        if (lua_pcall(state_, 0, 0, 0) != LUA_OK) {
            return take_error();
        }
        const std::string name = "=" + std::string(chunk_name);
        if (luaL_loadbufferx(state_, source.data(), source.size(), name.c_str(), "t") != LUA_OK) {
            return take_error();
        }
        if (lua_pcall(state_, 0, 0, 0) != LUA_OK) {
            return take_error();
        }
        lua_pushcfunction(state_, find_on_message);
        if (lua_pcall(state_, 0, 0, 0) != LUA_OK) {
            return take_error();
        }
        lua_settop(state_, 0);
        return {};
    }

    // Runs on_message; on a fault answers the fallback and leaves its message in `error`.
    HookVerdict call(const HookMessage& message, HookFallback fallback, std::string& error) {
        begin(true);
        CallFrame frame;
        frame.message = &message;
        lua_pushcfunction(state_, run_on_message);
        lua_pushlightuserdata(state_, &frame);
        const int status = lua_pcall(state_, 1, LUA_MULTRET, 0);
        budget_.in_call = false;
        if (status != LUA_OK) {
            const std::string_view fault = budget_.over_instructions ? hook_fault::instructions
                                           : status == LUA_ERRMEM    ? hook_fault::memory
                                                                     : hook_fault::error;
            error = take_error();
            return fallback_verdict(fallback, fault);
        }
        HookVerdict verdict = answer(frame, fallback, error);
        lua_settop(state_, 0);
        return verdict;
    }

    std::size_t bytes() const { return budget_.bytes; }

private:
    void begin(bool in_call) {
        budget_.instructions = 0;
        budget_.over_instructions = false;
        budget_.call_base_bytes = budget_.bytes;
        budget_.in_call = in_call;
    }

    static HookVerdict answer(const CallFrame& frame, HookFallback fallback, std::string& error) {
        if (frame.bad_answer != nullptr) {
            error = frame.bad_answer;
            return fallback_verdict(fallback, hook_fault::bad_answer);
        }
        HookVerdict verdict;
        verdict.action = frame.action;
        if (frame.action == HookAction::reject) {
            if (!is_valid_reason(frame.text)) {
                error = "a reject's reason is over 200 bytes or not UTF-8";
                return fallback_verdict(fallback, hook_fault::bad_answer);
            }
            verdict.reason = std::string(frame.text);
        } else if (frame.action == HookAction::rewrite) {
            if (!is_valid_rewrite(frame.text)) {
                error = "a rewritten text is empty, over 1000 bytes or not UTF-8";
                return fallback_verdict(fallback, hook_fault::bad_answer);
            }
            verdict.text = std::string(frame.text);
        }
        return verdict;
    }

    // The error object on top of the stack as text; empties the stack. Never allocates in Lua
    // (this runs outside protected mode).
    std::string take_error() {
        std::string text;
        if (lua_type(state_, -1) == LUA_TSTRING) {
            text = std::string(string_at(state_, -1));
        } else {
            text = std::string("error object is a ") + luaL_typename(state_, -1) + " value";
        }
        lua_settop(state_, 0);
        return text;
    }

    Budget budget_;
    lua_State* state_ = nullptr;
};

LuaHook::LuaHook(LuaHookOptions options) : options_(options) {}

LuaHook::LuaHook(LuaHookOptions options, const LuaScriptSource& source) : options_(options), source_(&source) {}

LuaHook::~LuaHook() = default;

Status LuaHook::load(std::string_view source, std::string_view chunk_name) {
    owner_.check();
    auto sandbox = std::make_unique<LuaSandbox>(options_);
    std::string error = sandbox->start(source, chunk_name);
    if (!error.empty()) {
        ++counters_.reload_failures;
        last_error_ = std::move(error);
        return std::make_error_code(std::errc::invalid_argument);
    }
    ++counters_.reloads;
    sandbox_ = std::move(sandbox);
    script_source_ = std::string(source);
    script_chunk_name_ = std::string(chunk_name);
    generation_ = 0;
    return {};
}

std::optional<std::string> LuaHook::check(std::string_view source, std::string_view chunk_name,
                                          const LuaHookOptions& options) {
    LuaSandbox sandbox(options);
    std::string error = sandbox.start(source, chunk_name);
    if (error.empty()) {
        return std::nullopt;
    }
    return error;
}

HookVerdict LuaHook::on_message(const HookMessage& message) {
    owner_.check();
    follow_source();
    if (sandbox_ == nullptr) {
        HookVerdict verdict;
        counters_.record(verdict);
        return verdict;
    }
    std::string error;
    HookVerdict verdict = sandbox_->call(message, options_.fallback, error);
    if (verdict.fell_back) {
        last_error_ = std::move(error);
        if (verdict.fault == hook_fault::instructions || verdict.fault == hook_fault::memory) {
            reset_after_fault();
        }
    }
    counters_.record(verdict);
    return verdict;
}

std::size_t LuaHook::memory_bytes() const {
    return sandbox_ == nullptr ? 0 : sandbox_->bytes();
}

void LuaHook::follow_source() {
    if (source_ == nullptr || source_->generation() == generation_seen_) {
        return;
    }
    auto script = source_->current();
    if (script == nullptr) {
        return;
    }
    generation_seen_ = script->generation;
    if (load(script->source, script->chunk_name)) {
        generation_ = script->generation;
    }
}

void LuaHook::reset_after_fault() {
    // A fault can leave the script's globals half-updated or full of garbage: start over from
    // the same script. Should that fail (its top level is not deterministic), keep the state.
    auto sandbox = std::make_unique<LuaSandbox>(options_);
    std::string error = sandbox->start(script_source_, script_chunk_name_);
    if (!error.empty()) {
        ++counters_.reload_failures;
        return;
    }
    ++counters_.reloads;
    sandbox_ = std::move(sandbox);
}

}  // namespace barrage::hook
