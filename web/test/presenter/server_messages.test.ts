// The adapters read the bodies Barrage writes (src/message/web_economy.cpp and
// native_dialect.cpp); these bodies copy those encoders' keys.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { giftEventFromNative, giftEventFromWeb } from "../../src/presenter/server_messages.js";
import { recorded } from "./recorder.js";

function sendGift(fields: { giftNum: number; num?: number; superGiftNum?: number; comboId?: string; webp?: string }) {
    const comboId = fields.comboId ?? "batch:gift:combo_id:42:1:7:3";
    return {
        cmd: "SEND_GIFT",
        seq: 10 + fields.giftNum,
        data: {
            giftName: "火箭",
            giftId: 7,
            giftType: 0,
            num: fields.num ?? 1,
            uid: 42,
            uname: "alice",
            face: "/assets/alice.png",
            gift_info: { img_basic: "/assets/rocket.png", webp: fields.webp ?? "/assets/rocket.svga" },
            action: "投喂",
            batch_combo_id: comboId,
            super_gift_num: fields.superGiftNum ?? fields.giftNum,
            combo_stay_time: 3,
            giftNum: fields.giftNum,
        },
    };
}

function comboSend(giftNum: number) {
    return {
        cmd: "COMBO_SEND",
        seq: 10 + giftNum,
        data: { uid: 42, uname: "alice", gift_id: 7, gift_name: "火箭", gift_num: 1, combo_num: giftNum, total_num: giftNum },
    };
}

describe("web dialect", () => {
    test("SEND_GIFT becomes a gift event with the running giftNum and the combo's total", () => {
        assert.deepEqual(giftEventFromWeb(sendGift({ giftNum: 12, num: 2, superGiftNum: 4 })), {
            userId: "42",
            userName: "alice",
            userFace: "/assets/alice.png",
            giftId: 7,
            giftName: "火箭",
            giftNumber: 12,
            count: 2,
            comboTotal: 4,
            comboable: true,
            animated: true,
            iconUrl: "/assets/rocket.png",
            effectUrl: "/assets/rocket.svga",
        });
    });

    test("an empty effect means a static gift and an empty batch_combo_id one that cannot combo", () => {
        const event = giftEventFromWeb(sendGift({ giftNum: 1, webp: "", comboId: "" }));
        assert.equal(event?.animated, false);
        assert.equal(event?.comboable, false);
    });

    test("COMBO_SEND, other cmds and malformed bodies give nothing", () => {
        assert.equal(giftEventFromWeb(comboSend(2)), undefined);
        assert.equal(giftEventFromWeb({ cmd: "DANMU_MSG", info: [] }), undefined);
        assert.equal(giftEventFromWeb(null), undefined);
        assert.equal(giftEventFromWeb({ cmd: "SEND_GIFT" }), undefined);
        const noNumber = sendGift({ giftNum: 1 }) as { data: Record<string, unknown> };
        delete noNumber.data["giftNum"];
        assert.equal(giftEventFromWeb(noNumber), undefined);
        assert.equal(giftEventFromWeb(sendGift({ giftNum: 0 })), undefined, "giftNum 0 cannot be ordered");
    });

    test("a page feeding every body of a combo, COMBO_SEND included, plays each rocket once", () => {
        const r = recorded();
        const bodies = [sendGift({ giftNum: 1 }), sendGift({ giftNum: 2 }), comboSend(2)];
        for (const body of bodies) {
            const event = giftEventFromWeb(body);
            if (event !== undefined) {
                r.presenter.push(event);
            }
        }
        for (let step = 0; step < 5; step += 1) {
            const playing = r.presenter.snapshot().b.animation;
            if (playing !== undefined) {
                r.presenter.animationEnded(playing.id);
            }
            r.clock.advance(2000);
        }
        assert.deepEqual(
            r.animations.map((animation) => animation.giftNumber),
            [1, 2],
        );
    });
});

describe("native dialect", () => {
    const body = {
        cmd: "gift",
        room: 1,
        seq: 5,
        time_ms: 1_700_000_000_000,
        user: { uid: 9, name: "bob", face: "", role: "viewer", guard_level: 0 },
        data: {
            gift_id: 3,
            name: "小心心",
            count: 1,
            price: 10,
            total: 10,
            animated: false,
            icon_url: "/assets/heart.png",
            effect_url: "",
            combo_id: 77,
            combo_count: 2,
            combo_total: 2,
            gift_number: 30,
            order_id: 1234,
            app_id: 0,
            streamer: { uid: 1, name: "host" },
            combo_timeout_s: 3,
        },
    };

    test("gift becomes a gift event", () => {
        assert.deepEqual(giftEventFromNative(body), {
            userId: "9",
            userName: "bob",
            userFace: "",
            giftId: 3,
            giftName: "小心心",
            giftNumber: 30,
            count: 1,
            comboTotal: 2,
            comboable: true,
            animated: false,
            iconUrl: "/assets/heart.png",
            effectUrl: "",
        });
    });

    test("combo_id 0 cannot combo; other kinds and an animated gift without effect give nothing", () => {
        const single = giftEventFromNative({ ...body, data: { ...body.data, combo_id: 0, combo_total: 0 } });
        assert.equal(single?.comboable, false);
        assert.equal(single?.comboTotal, 1);
        assert.equal(giftEventFromNative({ ...body, cmd: "danmaku" }), undefined);
        assert.equal(giftEventFromNative({ ...body, data: { ...body.data, animated: true } }), undefined);
        assert.equal(giftEventFromNative({ cmd: "gift", data: body.data }), undefined);
    });
});
