// The bot editor's forms change one part of the rules and keep the rest.
import assert from "node:assert/strict";
import { test } from "node:test";
import { summarize, withAnnouncement, withoutItem, withReply, withWelcome } from "../../src/console/bot_rules.js";

test("the welcome is set, keeping its other fields, and removed when empty", () => {
    const rules = { name: "小助手", welcome: { text: "hi", gap_s: 5 } };
    assert.deepEqual(withWelcome(rules, " 欢迎 {name} "), { name: "小助手", welcome: { text: "欢迎 {name}", gap_s: 5 } });
    assert.deepEqual(withWelcome(rules, ""), { name: "小助手" });
    assert.deepEqual(rules, { name: "小助手", welcome: { text: "hi", gap_s: 5 } }, "not changed in place");
});

test("replies and announcements append, remove, and read back as lines", () => {
    let rules = withReply({}, { match: "exact", pattern: "!time", reply: "八点" });
    rules = withAnnouncement(rules, { text: "关注", every_min: 10, live_only: true });
    rules = withAnnouncement(rules, { text: "抽奖", cron: "30 19 * * 1-5" });
    assert.deepEqual(summarize(rules), {
        welcome: undefined,
        replies: ['exact "!time" → 八点'],
        announcements: ["every 10 min (live only): 关注", "cron 30 19 * * 1-5: 抽奖"],
    });
    assert.deepEqual(summarize(withoutItem(rules, "announcements", 0)).announcements, ["cron 30 19 * * 1-5: 抽奖"]);
    assert.deepEqual(summarize({ replies: "nonsense" }).replies, []);
});
