import { giftEventProblem, type GiftEvent } from "./gift_event.js";

// Adapters from the gift events Barrage pushes (docs/protocol.md, "Dialects") to GiftEvents.
// Each takes one parsed push body and returns the event, or undefined when the body is not a
// gift hit or is not well formed: a page feeds every body it receives and shows what comes out.

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

function integer(value: unknown): number | undefined {
    return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
}

// User ids are 64-bit on the server; JSON numbers past 2^53 lose digits, so ids are compared
// as the decimal text the server wrote. (Barrage's uids stay far below 2^53.)
function userIdText(value: unknown): string | undefined {
    return integer(value)?.toString() ?? text(value);
}

function checked(event: GiftEvent): GiftEvent | undefined {
    return giftEventProblem(event) === undefined ? event : undefined;
}

// The web dialect (Bilibili's cmds), as src/message/web_economy.cpp writes them:
//
//   SEND_GIFT.data   uid, uname, face, giftId, giftName, num (this hit), giftNum (the running
//                    count), super_gift_num (the combo's gifts so far), batch_combo_id ("" when
//                    the gift cannot combo), gift_info {img_basic: icon, webp: effect, "" for
//                    a static gift}
//   COMBO_SEND       undefined: Barrage sends it beside the same hit's SEND_GIFT (same seq),
//                    which already says everything, so taking both would play a hit twice.
//
// Bilibili's own servers fill gift_info.webp for every gift; this reads Barrage's meaning.
export function giftEventFromWeb(body: unknown): GiftEvent | undefined {
    if (!isObject(body) || body["cmd"] !== "SEND_GIFT" || !isObject(body["data"])) {
        return undefined;
    }
    const data = body["data"];
    const info = isObject(data["gift_info"]) ? data["gift_info"] : {};
    const userId = userIdText(data["uid"]);
    const giftId = integer(data["giftId"]);
    const giftNumber = integer(data["giftNum"]);
    const count = integer(data["num"]);
    if (userId === undefined || giftId === undefined || giftNumber === undefined || count === undefined) {
        return undefined;
    }
    const effectUrl = text(info["webp"]) ?? "";
    const comboId = text(data["batch_combo_id"]) ?? "";
    return checked({
        userId,
        userName: text(data["uname"]) ?? "",
        userFace: text(data["face"]) ?? "",
        giftId,
        giftName: text(data["giftName"]) ?? "",
        giftNumber,
        count,
        comboTotal: integer(data["super_gift_num"]) ?? count,
        comboable: comboId !== "",
        animated: effectUrl !== "",
        iconUrl: text(info["img_basic"]) ?? "",
        effectUrl,
    });
}

// The native dialect: {"cmd":"gift", "user":{uid, name, face}, "data":{gift_id, name, count,
// animated, icon_url, effect_url, combo_id (0 = cannot combo), combo_total, gift_number}}.
export function giftEventFromNative(body: unknown): GiftEvent | undefined {
    if (!isObject(body) || body["cmd"] !== "gift" || !isObject(body["data"]) || !isObject(body["user"])) {
        return undefined;
    }
    const data = body["data"];
    const user = body["user"];
    const userId = userIdText(user["uid"]);
    const giftId = integer(data["gift_id"]);
    const giftNumber = integer(data["gift_number"]);
    const count = integer(data["count"]);
    if (userId === undefined || giftId === undefined || giftNumber === undefined || count === undefined) {
        return undefined;
    }
    const comboId = integer(data["combo_id"]) ?? 0;
    return checked({
        userId,
        userName: text(user["name"]) ?? "",
        userFace: text(user["face"]) ?? "",
        giftId,
        giftName: text(data["name"]) ?? "",
        giftNumber,
        count,
        comboTotal: comboId === 0 ? count : (integer(data["combo_total"]) ?? count),
        comboable: comboId !== 0,
        animated: data["animated"] === true,
        iconUrl: text(data["icon_url"]) ?? "",
        effectUrl: text(data["effect_url"]) ?? "",
    });
}
