import assert from "node:assert/strict";
import { test } from "node:test";
import { withBannerChange } from "../../src/presenter/lane_banners.js";
import type { BannerView } from "../../src/presenter/views.js";

const banner = (id: number, lane: "a" | "b"): BannerView => ({
    id,
    lane,
    userId: "1",
    userName: "alice",
    userFace: "",
    giftId: 1,
    giftName: "rose",
    iconUrl: "",
    giftNumber: id,
    count: id,
    comboHits: 1,
});

test("a banner takes its lane, an update replaces it, a hide empties only that lane", () => {
    let shown = withBannerChange({}, { kind: "show", banner: banner(1, "a") });
    shown = withBannerChange(shown, { kind: "show", banner: banner(2, "b") });
    shown = withBannerChange(shown, { kind: "update", banner: banner(3, "a") });
    assert.deepEqual([shown.a?.id, shown.b?.id], [3, 2]);
    const before = shown;
    shown = withBannerChange(shown, { kind: "hide", banner: banner(3, "a") });
    assert.deepEqual([shown.a, shown.b?.id], [undefined, 2]);
    assert.equal(before.a?.id, 3, "the earlier state is not changed");
});
