// The overlay's router: native pushes to layer events, switched off layers, bad pushes dropped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bannerText, guardText, overlayEvent } from "../../src/overlay/overlay_events.js";
import { overlayOptions } from "../../src/overlay/overlay_options.js";

const all = overlayOptions("").layers;
const user = { uid: 7, name: "<img src=x onerror=alert(1)>", face: "", role: "viewer", guard_level: 0 };

const gift = (data: Record<string, unknown>) => ({
    cmd: "gift",
    room: 1,
    seq: 5,
    user,
    data: {
        gift_id: 2,
        name: "Balloon",
        count: 1,
        price: 100,
        total: 100,
        animated: true,
        icon_url: "/gifts/balloon.png",
        effect_url: "/gifts/balloon-effect.png",
        combo_id: 9,
        combo_count: 3,
        combo_total: 3,
        gift_number: 3,
        ...data,
    },
});

test("a danmaku keeps its text, mode, colour and size", () => {
    const event = overlayEvent({ cmd: "danmaku", seq: 1, user, data: { text: "</script>hi", color: 0xff0000, mode: 5, fontsize: 36 } }, all);
    assert.deepEqual(event, { layer: "danmaku", danmaku: { text: "</script>hi", wireMode: 5, color: 0xff0000, fontSize: 36 } });
});

test("a gift goes to the presenter with its price per gift", () => {
    const event = overlayEvent(gift({}), all);
    assert.equal(event?.layer, "gifts");
    if (event?.layer !== "gifts") return;
    assert.equal(event.priceCoins, 100);
    assert.equal(event.gift.giftNumber, 3);
    assert.equal(event.gift.comboTotal, 3);
    assert.equal(event.gift.userName, user.name);
    assert.equal(event.gift.effectUrl, "/gifts/balloon-effect.png");
});

test("a gift the presenter cannot use is dropped", () => {
    assert.equal(overlayEvent(gift({ gift_number: 0 }), all), undefined);
    assert.equal(overlayEvent(gift({ effect_url: "" }), all), undefined); // animated without an effect
});

test("super chats come and go; guard purchases become toasts", () => {
    const add = overlayEvent({ cmd: "super_chat", seq: 8, user, data: { id: 4, text: "hello", price: 3000, price_yuan: 30, start_ms: 1000, end_ms: 61000 } }, all);
    assert.deepEqual(add, {
        layer: "superchats",
        kind: "add",
        chat: { id: 4, uid: 7, name: user.name, text: "hello", priceYuan: 30, startMs: 1000, endMs: 61000 },
    });
    assert.deepEqual(overlayEvent({ cmd: "super_chat_delete", seq: 9, data: { ids: [4] } }, all), { layer: "superchats", kind: "remove", ids: [4] });
    const guard = overlayEvent({ cmd: "guard_buy", seq: 10, user, data: { level: 3, months: 2, price: 198000 } }, all);
    assert.deepEqual(guard, {
        layer: "guards",
        toast: { key: 10, name: user.name, level: 3, levelName: "舰长", months: 2, priceCoins: 198000 },
    });
    if (guard?.layer === "guards") assert.equal(guardText(guard.toast), `${user.name} became 舰长 for 2 months`);
});

test("kinds without a layer and layers switched off give nothing", () => {
    assert.equal(overlayEvent({ cmd: "enter", seq: 2, user, data: {} }, all), undefined);
    assert.equal(overlayEvent({ cmd: "online", data: { online: 3 } }, all), undefined);
    assert.equal(overlayEvent({ cmd: "danmaku", seq: 1, user, data: { text: "" } }, all), undefined);
    const giftsOnly = overlayOptions("?layers=gifts").layers;
    assert.equal(overlayEvent({ cmd: "danmaku", seq: 1, user, data: { text: "hi" } }, giftsOnly), undefined);
    assert.equal(overlayEvent({ cmd: "guard_buy", seq: 10, user, data: { level: 3 } }, giftsOnly), undefined);
    assert.equal(overlayEvent(gift({}), giftsOnly)?.layer, "gifts");
});

test("the banner's text names sender, gift and count", () => {
    assert.equal(bannerText({ userName: "ann", giftName: "Heart", count: 10 }), "ann sent Heart x10");
});
