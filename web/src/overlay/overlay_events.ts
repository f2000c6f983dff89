// What a native-dialect push (src/message/native_dialect.cpp lists every kind) means to the OBS
// overlay: one event for one of its four layers, or nothing when the kind has no layer or its
// layer is switched off by the URL (overlay_options.ts). Pure, so the routing is tested without
// a browser. Strings stay strings: the page renders them as text, never as HTML.
import { giftEventFromNative } from "../presenter/server_messages.js";
import type { GiftEvent } from "../presenter/gift_event.js";
import { guardName, roomEvent } from "../room/room_events.js";
import type { PinnedSuperChat } from "../room/super_chat_board.js";
import type { OverlayLayer } from "./overlay_options.js";

export interface OverlayDanmaku {
    text: string;
    wireMode: number; // 1 scroll, 4 bottom, 5 top
    color: number; // 0xRRGGBB
    fontSize: number; // px as sent
}

export interface GuardToast {
    key: number; // the push's seq: unique per room
    name: string;
    level: number; // 1 总督, 2 提督, 3 舰长
    levelName: string;
    months: number;
    priceCoins: number; // per month
}

export type OverlayEvent =
    | { layer: "danmaku"; danmaku: OverlayDanmaku }
    | { layer: "gifts"; gift: GiftEvent; priceCoins: number } // coins per gift
    | { layer: "superchats"; kind: "add"; chat: PinnedSuperChat }
    | { layer: "superchats"; kind: "remove"; ids: number[] }
    | { layer: "guards"; toast: GuardToast };

export function overlayEvent(message: Record<string, unknown>, layers: ReadonlySet<OverlayLayer>): OverlayEvent | undefined {
    const event = routed(message);
    return event !== undefined && layers.has(event.layer) ? event : undefined;
}

function routed(message: Record<string, unknown>): OverlayEvent | undefined {
    const event = roomEvent(message);
    switch (event?.kind) {
        case "danmaku":
            return event.text === ""
                ? undefined
                : { layer: "danmaku", danmaku: { text: event.text, wireMode: event.mode, color: event.color, fontSize: event.fontSize } };
        case "gift": {
            // giftEventFromNative checks what the presenter needs (ids, numbers, the effect of
            // an animated gift); a push that fails it shows nothing rather than a broken banner.
            const gift = giftEventFromNative(message);
            const data = message.data as Record<string, unknown>;
            const price = typeof data.price === "number" && Number.isSafeInteger(data.price) && data.price >= 0 ? data.price : 0;
            return gift === undefined ? undefined : { layer: "gifts", gift, priceCoins: price };
        }
        case "super_chat":
            return { layer: "superchats", kind: "add", chat: event.chat };
        case "super_chat_delete":
            return { layer: "superchats", kind: "remove", ids: event.ids };
        case "guard": {
            const data = message.data as Record<string, unknown>;
            const price = typeof data.price === "number" && Number.isSafeInteger(data.price) ? data.price : 0;
            return {
                layer: "guards",
                toast: {
                    key: event.seq,
                    name: event.user.name,
                    level: event.level,
                    levelName: guardName(event.level),
                    months: event.months,
                    priceCoins: price,
                },
            };
        }
        default:
            return undefined;
    }
}

// The banner's line, "name sent gift x5", and its price when prices are shown. The price is the
// gift's price times the count the banner prints (the combo's total so far).
export function bannerText(view: { userName: string; giftName: string; count: number }): string {
    return `${view.userName || "someone"} sent ${view.giftName} x${view.count}`;
}

export function coinsText(coins: number): string {
    return `${coins} coin${coins === 1 ? "" : "s"}`;
}

export function guardText(toast: GuardToast): string {
    return `${toast.name || "someone"} became ${toast.levelName} for ${toast.months} month${toast.months === 1 ? "" : "s"}`;
}
