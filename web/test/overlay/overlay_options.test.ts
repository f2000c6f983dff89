// The overlay's URL settings: defaults, clamping, and a typo that still gives a working overlay.
import assert from "node:assert/strict";
import { test } from "node:test";
import { overlayOptions } from "../../src/overlay/overlay_options.js";

test("no parameters: every layer, usual speed and size, 8 lines, prices shown", () => {
    const options = overlayOptions("");
    assert.deepEqual([...options.layers], ["danmaku", "gifts", "superchats", "guards"]);
    assert.deepEqual([options.speed, options.fontScale, options.maxLines, options.showPrices], [1, 1, 8, true]);
});

test("chosen layers only, unknown names ignored, values clamped, prices hidden", () => {
    const options = overlayOptions("?layers=gifts,%20GUARDS,fireworks&speed=9&font=0.1&lines=2.6&prices=0");
    assert.deepEqual([...options.layers], ["gifts", "guards"]);
    assert.deepEqual([options.speed, options.fontScale, options.maxLines, options.showPrices], [4, 0.5, 3, false]);
});

test("values that are not numbers keep the defaults; an empty layer list shows nothing", () => {
    const options = overlayOptions("?speed=fast&font=&lines=abc&layers=");
    assert.deepEqual([options.speed, options.fontScale, options.maxLines], [1, 1, 8]);
    assert.equal(options.layers.size, 0);
});
