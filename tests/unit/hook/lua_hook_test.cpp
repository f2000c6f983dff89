#include "hook/lua_hook.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hook/lua_script_source.h"

namespace barrage::hook {
namespace {

HookMessage message(std::string text) {
    return HookMessage{
        .room = 7, .uid = 42, .uname = "ann", .role = "viewer", .kind = "danmaku", .text = std::move(text)};
}

std::unique_ptr<LuaHook> loaded(std::string_view source, LuaHookOptions options = {}) {
    auto hook = std::make_unique<LuaHook>(options);
    auto status = hook->load(source, "test");
    EXPECT_TRUE(status) << hook->last_error();
    return hook;
}

// Loads `source` and answers the verdict of one call.
HookVerdict verdict_of(std::string_view source, std::string text = "hi") {
    LuaHook hook({});
    EXPECT_TRUE(hook.load(source, "test")) << hook.last_error();
    return hook.on_message(message(std::move(text)));
}

TEST(LuaHook, AllowsOnNilTrueAndNoValue) {
    for (const char* source : {"function on_message(m) return true end", "function on_message(m) return nil end",
                               "function on_message(m) end"}) {
        auto verdict = verdict_of(source);
        EXPECT_EQ(verdict.action, HookAction::allow) << source;
        EXPECT_FALSE(verdict.fell_back) << source;
    }
}

TEST(LuaHook, RejectsWithFalseAndAReason) {
    auto verdict = verdict_of("function on_message(m) return false, 'no links' end");
    EXPECT_EQ(verdict.action, HookAction::reject);
    EXPECT_EQ(verdict.reason, "no links");
    EXPECT_FALSE(verdict.fell_back);
    auto table = verdict_of("function on_message(m) return {reject = 'spam'} end");
    EXPECT_EQ(table.action, HookAction::reject);
    EXPECT_EQ(table.reason, "spam");
    auto bare = verdict_of("function on_message(m) return false end");
    EXPECT_EQ(bare.action, HookAction::reject);
    EXPECT_EQ(bare.reason, "");
}

TEST(LuaHook, RewritesWithAStringOrATextField) {
    auto verdict = verdict_of("function on_message(m) return m.text:upper() end", "hello");
    EXPECT_EQ(verdict.action, HookAction::rewrite);
    EXPECT_EQ(verdict.text, "HELLO");
    auto table = verdict_of("function on_message(m) return {text = m.text .. '!'} end", "hello");
    EXPECT_EQ(table.action, HookAction::rewrite);
    EXPECT_EQ(table.text, "hello!");
}

TEST(LuaHook, TheMessageTableHoldsEveryField) {
    auto verdict = verdict_of(
        "function on_message(m) return string.format('%d %d %s %s %s %s', m.room, m.uid, m.uname, m.role, m.kind, "
        "m.text) end",
        "x");
    EXPECT_EQ(verdict.text, "7 42 ann viewer danmaku x");
}

TEST(LuaHook, AnswersOutsideTheContractAreBadAnswers) {
    for (const char* source : {
             "function on_message(m) return 12 end",
             "function on_message(m) return {} end",
             "function on_message(m) return {text = 'a', reject = 'b'} end",
             "function on_message(m) return false, 12 end",
             "function on_message(m) return '' end",
             "function on_message(m) return ('x'):rep(1001) end",
             "function on_message(m) return '\\xff\\xfe' end",
             "function on_message(m) return false, ('x'):rep(201) end",
         }) {
        auto verdict = verdict_of(source);
        EXPECT_TRUE(verdict.fell_back) << source;
        EXPECT_EQ(verdict.fault, "bad_answer") << source;
        EXPECT_EQ(verdict.action, HookAction::allow) << source;
    }
    auto longest = verdict_of("function on_message(m) return ('x'):rep(1000) end");
    EXPECT_EQ(longest.action, HookAction::rewrite);
}

TEST(LuaHook, RuntimeErrorFallsBackAndTheStateCarriesOn) {
    auto hook = loaded(
        "n = 0 function on_message(m) n = n + 1 if m.text == 'boom' then error('bad') end return "
        "tostring(n) end");
    auto fault = hook->on_message(message("boom"));
    EXPECT_TRUE(fault.fell_back);
    EXPECT_EQ(fault.fault, "error");
    EXPECT_NE(hook->last_error().find("bad"), std::string::npos);
    // The state is kept after a plain error: n counted both calls.
    EXPECT_EQ(hook->on_message(message("ok")).text, "2");
    EXPECT_EQ(hook->counters().fault_error, 1u);
    EXPECT_EQ(hook->counters().calls, 2u);
}

TEST(LuaHook, DangerousLibrariesAreAbsent) {
    auto verdict = verdict_of(
        "function on_message(m) return table.concat({type(io), type(os), type(require), type(package), type(debug), "
        "type(string.dump), type(dofile), type(loadfile), type(collectgarbage), type(print)}, ',') end");
    EXPECT_EQ(verdict.text, "nil,nil,nil,nil,nil,nil,nil,nil,nil,nil");
    auto kept = verdict_of(
        "function on_message(m) return table.concat({type(string.gsub), type(table.insert), type(math.floor), "
        "type(utf8.len), type(pcall), type(load)}, ',') end");
    EXPECT_EQ(kept.text, "function,function,function,function,function,function");
}

TEST(LuaHook, LoadRefusesBytecodeButTakesText) {
    // A binary chunk starts with ESC "Lua"; load must refuse it whatever mode the script asks.
    auto verdict = verdict_of(
        "function on_message(m) local f, e = load('\\27Lua\\84\\0', 'x', 'b') if f then return 'loaded' end "
        "return e:find('binary') and 'refused' or e end");
    EXPECT_EQ(verdict.text, "refused");
    LuaHook hook({});
    ASSERT_TRUE(hook.load("function on_message(m) return load('return 1 + 1')() == 2 end", "test"));
    auto text = hook.on_message(message("x"));
    EXPECT_EQ(text.action, HookAction::allow);
    EXPECT_FALSE(text.fell_back) << hook.last_error();
    auto env = verdict_of("function on_message(m) return load('return x', 'c', 't', {x = 'env'})() end");
    EXPECT_EQ(env.text, "env");
}

TEST(LuaHook, ABytecodeScriptIsRefused) {
    LuaHook hook({});
    EXPECT_FALSE(hook.load(std::string("\x1bLua\x54\x00", 6), "binary"));
    EXPECT_NE(hook.last_error().find("binary"), std::string::npos) << hook.last_error();
    EXPECT_FALSE(hook.loaded());
}

TEST(LuaHook, AScriptWithoutOnMessageIsRefused) {
    LuaHook hook({});
    EXPECT_FALSE(hook.load("x = 1", "none"));
    EXPECT_NE(hook.last_error().find("on_message"), std::string::npos);
    EXPECT_FALSE(hook.load("function on_message(m", "syntax"));
    EXPECT_NE(hook.last_error().find("syntax:1:"), std::string::npos) << hook.last_error();
    EXPECT_FALSE(hook.load("while true do end function on_message(m) end", "slow top level"));
    EXPECT_NE(hook.last_error().find("instruction budget"), std::string::npos) << hook.last_error();
}

TEST(LuaHook, NoScriptAllowsWithoutAFault) {
    LuaHook hook({});
    auto verdict = hook.on_message(message("hi"));
    EXPECT_EQ(verdict.action, HookAction::allow);
    EXPECT_FALSE(verdict.fell_back);
}

constexpr std::string_view kSpinsOnLoop =
    "function on_message(m) if m.text == 'loop' then while true do end end return m.text .. '.' end";

TEST(LuaHook, AnEndlessLoopIsCutOffAndTheNextCallWorks) {
    auto hook = loaded(kSpinsOnLoop);
    auto verdict = hook->on_message(message("loop"));
    EXPECT_TRUE(verdict.fell_back);
    EXPECT_EQ(verdict.fault, "instructions");
    EXPECT_EQ(verdict.action, HookAction::allow);
    auto next = hook->on_message(message("ok"));
    EXPECT_FALSE(next.fell_back);
    EXPECT_EQ(next.text, "ok.");
    EXPECT_EQ(hook->counters().fault_instructions, 1u);
}

TEST(LuaHook, TheRejectFallbackRejects) {
    auto hook = loaded(kSpinsOnLoop, {.fallback = HookFallback::reject});
    auto verdict = hook->on_message(message("loop"));
    EXPECT_TRUE(verdict.fell_back);
    EXPECT_EQ(verdict.fault, "instructions");
    EXPECT_EQ(verdict.action, HookAction::reject);
    EXPECT_EQ(verdict.reason, kFallbackReason);
    EXPECT_EQ(hook->on_message(message("ok")).text, "ok.");
}

TEST(LuaHook, PcallCannotSwallowTheInstructionBudget) {
    for (const char* source : {
             "function on_message(m) while true do pcall(function() while true do end end) end end",
             "function on_message(m) while true do xpcall(function() while true do end end, function(e) return e "
             "end) end end",
             "function on_message(m) while true do pcall(pcall, function() while true do end end) end end",
         }) {
        auto hook = loaded(source);
        auto verdict = hook->on_message(message("x"));
        EXPECT_EQ(verdict.fault, "instructions") << source;
    }
}

TEST(LuaHook, ToBeClosedVariablesCannotOutlastTheBudget) {
    for (const char* source : {
             "function on_message(m) local x <close> = setmetatable({}, {__close = function() while true do end "
             "end}) while true do end end",
             "function on_message(m) local x <close> = setmetatable({}, {__close = function() while true do end "
             "end}) return true end",
         }) {
        auto hook = loaded(source);
        EXPECT_EQ(hook->on_message(message("x")).fault, "instructions") << source;
    }
}

TEST(LuaHook, PcallStillCatchesOrdinaryErrors) {
    auto verdict = verdict_of(
        "function on_message(m) local ok, e = pcall(error, 'inner') "
        "local ok2, e2 = xpcall(error, function(x) return 'handled ' .. x end, 'again') "
        "return tostring(ok) .. ' ' .. e .. ' ' .. tostring(ok2) .. ' ' .. e2 end");
    EXPECT_EQ(verdict.text, "false inner false handled again");
}

TEST(LuaHook, EndlessAllocationIsCutOffAndMemoryComesBack) {
    auto hook = loaded(
        "function on_message(m) if m.text == 'grow' then local t = {} while true do t[#t + 1] = ('x'):rep(1000) end "
        "end return true end");
    const std::size_t before = hook->memory_bytes();
    auto verdict = hook->on_message(message("grow"));
    EXPECT_TRUE(verdict.fell_back);
    EXPECT_EQ(verdict.fault, "memory");
    EXPECT_LT(hook->memory_bytes(), before + 64 * 1024);
    EXPECT_FALSE(hook->on_message(message("ok")).fell_back);
    EXPECT_EQ(hook->counters().fault_memory, 1u);
}

TEST(LuaHook, GlobalsThatOutgrowTheStateAreCutOff) {
    // Each call keeps its growth in a global: within a call's allowance, but the state's total
    // runs out; the fresh state afterwards starts from the script again.
    LuaHookOptions options{.memory_bytes_max = 2 << 20, .call_memory_bytes_max = 1 << 20};
    auto hook =
        loaded("keep = {} function on_message(m) keep[#keep + 1] = ('y'):rep(600 * 1024) return true end", options);
    bool faulted = false;
    for (int i = 0; i < 8 && !faulted; ++i) {
        faulted = hook->on_message(message("x")).fault == "memory";
    }
    EXPECT_TRUE(faulted);
    EXPECT_LT(hook->memory_bytes(), std::size_t{1} << 20);
}

TEST(LuaHook, AHugeStringIsRefused) {
    auto verdict = verdict_of("function on_message(m) return ('x'):rep(1 << 30) end");
    EXPECT_EQ(verdict.fault, "memory");
}

TEST(LuaHook, DeepRecursionIsAnError) {
    auto verdict = verdict_of("local function f(n) return f(n + 1) + 1 end function on_message(m) return f(1) end");
    EXPECT_TRUE(verdict.fell_back);
    EXPECT_TRUE(verdict.fault == "memory" || verdict.fault == "error" || verdict.fault == "instructions")
        << verdict.fault;
}

TEST(LuaHook, FinalizersAreRefused) {
    // Lua runs __gc with hooks off, where no instruction budget could stop a loop.
    LuaHook hook({});
    EXPECT_FALSE(hook.load(
        "setmetatable({}, {__gc = function() while true do end end}) function on_message(m) return true end", "gc"));
    EXPECT_NE(hook.last_error().find("__gc"), std::string::npos) << hook.last_error();
    auto verdict = verdict_of("function on_message(m) setmetatable({}, {__gc = type}) end");
    EXPECT_EQ(verdict.fault, "error");
    auto other = verdict_of("function on_message(m) return setmetatable({}, {__index = m}).text end", "meta");
    EXPECT_EQ(other.text, "meta");
}

TEST(LuaHook, CheckReportsErrorsWithoutAHook) {
    EXPECT_FALSE(LuaHook::check("function on_message(m) end", "ok", {}));
    auto error = LuaHook::check("function on_message(", "bad", {});
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("bad:1:"), std::string::npos) << *error;
}

TEST(LuaScriptSource, AHookSwitchesScriptsOnTheNextCall) {
    LuaScriptSource source;
    LuaHook hook({}, source);
    EXPECT_FALSE(hook.on_message(message("a")).fell_back);  // nothing published: allow
    EXPECT_EQ(source.publish("function on_message(m) return 'one' end", "v1"), 1u);
    EXPECT_EQ(hook.on_message(message("a")).text, "one");
    EXPECT_EQ(hook.generation(), 1u);
    source.publish("function on_message(m) return 'two' end", "v2");
    EXPECT_EQ(hook.on_message(message("a")).text, "two");
    EXPECT_EQ(hook.generation(), 2u);
}

TEST(LuaScriptSource, ABadScriptIsRefusedAndTheOldOneKeepsWorking) {
    LuaScriptSource source;
    LuaHook hook({}, source);
    source.publish("function on_message(m) return 'good' end", "good");
    EXPECT_EQ(hook.on_message(message("a")).text, "good");
    // The publisher's check refuses it with its error...
    const std::string bad = "function on_message(m) return 'bad' end end";
    auto error = LuaHook::check(bad, "bad", {});
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("bad:1:"), std::string::npos) << *error;
    // ... and a thread that is handed one anyway keeps the old script.
    source.publish(bad, "bad");
    EXPECT_EQ(hook.on_message(message("a")).text, "good");
    EXPECT_EQ(hook.on_message(message("a")).text, "good");
    EXPECT_EQ(hook.counters().reload_failures, 1u);
    EXPECT_EQ(hook.generation(), 1u);
}

TEST(LuaScriptSource, ThreadsFollowAPublishWhileCalling) {
    LuaScriptSource source;
    source.publish("function on_message(m) return 'one' end", "v1");
    std::atomic<int> unexpected{0};
    std::atomic<int> saw_two{0};
    std::atomic<bool> published{false};
    auto run = [&] {
        LuaHook hook({}, source);
        // Call until this thread has seen the new script (or a bound, if it never does).
        for (int i = 0; i < 1'000'000; ++i) {
            const auto text = hook.on_message(message("x")).text;
            if (text == "two") {
                ++saw_two;
                return;
            }
            if (text != "one") {
                ++unexpected;
            }
            if (published.load() && i > 0 && hook.generation() == 2) {
                ++unexpected;  // generation 2 loaded but answered "one"
            }
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back(run);
    }
    source.publish("function on_message(m) return 'two' end", "v2");
    published = true;
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(unexpected.load(), 0);
    EXPECT_EQ(saw_two.load(), 2);
}

}  // namespace
}  // namespace barrage::hook
