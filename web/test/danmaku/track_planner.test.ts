// Where flying danmaku go (web/src/danmaku/track_planner.ts): no two on a line overlap, the
// faster newcomer never catches the one ahead, still ones stack from their edge, and a full
// stage drops what does not fit unless it is the viewer's own.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { modeOf, TrackPlanner, type PlannerOptions } from "../../src/danmaku/track_planner.js";

// 1000 px wide, 4 lines of 25 px; crossing in 10 s; still ones for 4 s; 20 px between.
const OPTIONS: PlannerOptions = {
    stageWidth: 1000,
    stageHeight: 100,
    lineHeight: 25,
    scrollDurationMs: 10_000,
    fixedDurationMs: 4000,
    gapPx: 20,
};

describe("scroll lines", () => {
    test("a line is taken again once the previous tail is a gap inside the stage", () => {
        const planner = new TrackPlanner(OPTIONS);
        // 100 px wide: speed (1000 + 100) / 10000 = 0.11 px/ms; its tail + gap is in after 1091 ms.
        assert.equal(planner.place({ mode: "scroll", widthPx: 100 }, 0)?.line, 0);
        assert.equal(planner.place({ mode: "scroll", widthPx: 100 }, 1000)?.line, 1, "still entering: next line");
        assert.equal(planner.place({ mode: "scroll", widthPx: 100 }, 1100)?.line, 0, "entered: the first line again");
    });

    test("a longer, faster danmaku does not follow a short one it would catch", () => {
        const planner = new TrackPlanner(OPTIONS);
        planner.place({ mode: "scroll", widthPx: 50 }, 0); // 0.105 px/ms, leaves at 10000
        // At 2000 a 900 px one (0.19 px/ms) would cross 1520 px before 10000: it would catch up.
        const long = planner.place({ mode: "scroll", widthPx: 900 }, 2000);
        assert.equal(long?.line, 1);
        // A short one at the same time crosses 840 px by then (<= 980): it may follow.
        assert.equal(planner.place({ mode: "scroll", widthPx: 50 }, 2000)?.line, 0);
    });

    test("it flies from the right edge to just past the left one", () => {
        const planner = new TrackPlanner(OPTIONS);
        const placed = planner.place({ mode: "scroll", widthPx: 120 }, 500);
        assert.deepEqual(placed, {
            mode: "scroll",
            line: 0,
            y: 0,
            startMs: 500,
            durationMs: 10_000,
            fromX: 1000,
            toX: -120,
        });
    });

    test("a full stage drops a danmaku, but the viewer's own takes the line that frees first", () => {
        const planner = new TrackPlanner(OPTIONS);
        for (let line = 0; line < 4; ++line) {
            assert.equal(planner.place({ mode: "scroll", widthPx: 400 }, line * 10)?.line, line);
        }
        assert.equal(planner.place({ mode: "scroll", widthPx: 400 }, 50), undefined);
        assert.equal(planner.place({ mode: "scroll", widthPx: 400 }, 50, true)?.line, 0);
    });
});

describe("top and bottom", () => {
    test("still danmaku stack from their own edge, centred, and lines free after their time", () => {
        const planner = new TrackPlanner(OPTIONS);
        const first = planner.place({ mode: "top", widthPx: 200 }, 0);
        assert.deepEqual([first?.line, first?.y, first?.fromX, first?.toX], [0, 0, 400, 400]);
        assert.equal(planner.place({ mode: "top", widthPx: 200 }, 100)?.y, 25);
        const bottom = planner.place({ mode: "bottom", widthPx: 200 }, 100);
        assert.deepEqual([bottom?.line, bottom?.y], [0, 75], "the bottom line, apart from the top ones");
        assert.equal(planner.place({ mode: "top", widthPx: 200 }, 4000)?.line, 0, "free again after 4 s");
    });

    test("they do not take the scroll lines' place or each other's", () => {
        const planner = new TrackPlanner(OPTIONS);
        planner.place({ mode: "scroll", widthPx: 100 }, 0);
        assert.equal(planner.place({ mode: "top", widthPx: 100 }, 0)?.line, 0);
        for (let i = 1; i < 4; ++i) {
            planner.place({ mode: "top", widthPx: 100 }, 0);
        }
        assert.equal(planner.place({ mode: "top", widthPx: 100 }, 10), undefined);
        assert.equal(planner.place({ mode: "top", widthPx: 100 }, 10, true)?.line, 0, "forced: the first to end");
    });
});

describe("the stage", () => {
    test("maxLines caps the lines and resize recounts them", () => {
        const planner = new TrackPlanner({ ...OPTIONS, stageHeight: 1000, maxLines: 3 });
        assert.equal(planner.lineCount(), 3);
        planner.resize(1000, 50);
        assert.equal(planner.lineCount(), 2);
        const none = new TrackPlanner({ ...OPTIONS, stageHeight: 10 });
        assert.equal(none.place({ mode: "scroll", widthPx: 10 }, 0, true), undefined, "no line fits: nothing placed");
    });

    test("wire modes map as the players read them", () => {
        assert.deepEqual([1, 4, 5, 7].map(modeOf), ["scroll", "bottom", "top", "scroll"]);
    });
});
