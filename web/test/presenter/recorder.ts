// Test helpers: a presenter on a FakeClock whose output is written down as one line per
// change, so a test states the whole expected screen history in one assertion.
import { FakeClock } from "../../src/presenter/fake_clock.js";
import type { GiftEvent } from "../../src/presenter/gift_event.js";
import { Presenter, type PresenterOptions } from "../../src/presenter/presenter.js";
import type { AnimationView, BannerView, PresenterOutput } from "../../src/presenter/views.js";

export interface Recorded {
    readonly clock: FakeClock;
    readonly presenter: Presenter;
    // "t=2000 a show u1 rose #3 x3" or "t=0 b start u2 rocket #1 banner" / "... no-banner"
    readonly lines: string[];
    readonly banners: BannerView[]; // every show and update, in order
    readonly animations: AnimationView[]; // every start, in order
}

export function recorded(options: PresenterOptions = {}): Recorded {
    const clock = new FakeClock();
    const lines: string[] = [];
    const banners: BannerView[] = [];
    const animations: AnimationView[] = [];
    const output: PresenterOutput = {
        onBanner: ({ kind, banner }) => {
            lines.push(
                `t=${clock.nowMs()} ${banner.lane} ${kind} ${banner.userName} ${banner.giftName} #${banner.giftNumber} x${banner.count}`,
            );
            if (kind !== "hide") {
                banners.push(banner);
            }
        },
        onAnimation: ({ kind, animation }) => {
            const banner = kind === "start" ? (animation.bannerId === undefined ? " no-banner" : " banner") : "";
            lines.push(`t=${clock.nowMs()} b ${kind} ${animation.userName} ${animation.giftName} #${animation.giftNumber}${banner}`);
            if (kind === "start") {
                animations.push(animation);
            }
        },
    };
    return { clock, presenter: new Presenter(clock, options, output), lines, banners, animations };
}

// A hit of a combo-able gift. Static "rose" (id 1) and animated "rocket" (id 2) by default;
// comboTotal follows giftNumber one gift per hit, as the server counts a fresh combo.
export function gift(
    userName: string,
    giftNumber: number,
    fields: Partial<GiftEvent> & { kind?: "rose" | "rocket" } = {},
): GiftEvent {
    const { kind = "rose", ...rest } = fields;
    const animated = kind === "rocket";
    return {
        userId: `id-${userName}`,
        userName,
        userFace: "",
        giftId: animated ? 2 : 1,
        giftName: kind,
        giftNumber,
        count: 1,
        comboTotal: giftNumber,
        comboable: true,
        animated,
        iconUrl: `/assets/${kind}.png`,
        effectUrl: animated ? `/assets/${kind}.svga` : "",
        ...rest,
    };
}

export function rocket(userName: string, giftNumber: number, fields: Partial<GiftEvent> = {}): GiftEvent {
    return gift(userName, giftNumber, { kind: "rocket", ...fields });
}
