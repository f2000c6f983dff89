// The presenter's rules (seed 003, docs/web.md) on a fake clock. Defaults: combo window 2 s,
// banners held 2 s after their last change, animations end when the test says so.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FakeClock } from "../../src/presenter/fake_clock.js";
import { Presenter } from "../../src/presenter/presenter.js";
import { gift, recorded, rocket, type Recorded } from "./recorder.js";

// Moves the fake clock to absolute time `ms` (running what falls due) and then runs `action`.
function at(r: Recorded, ms: number, action: () => void = () => {}): void {
    r.clock.advance(ms - r.clock.nowMs());
    action();
}

// What a renderer does when the SVGA it is playing finishes.
function endPlayingAnimation(r: Recorded): void {
    const playing = r.presenter.snapshot().b.animation;
    assert.ok(playing, "an animation is playing");
    assert.equal(r.presenter.animationEnded(playing.id), true);
}

describe("out-of-order arrival", () => {
    test("a static combo received x1, x3, x2 while queued shows x3 once and never x1 or x2", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(gift("alice", 1)));
        at(r, 100, () => r.presenter.push(gift("bob", 1)));
        at(r, 200, () => r.presenter.push(gift("bob", 3)));
        at(r, 300, () => r.presenter.push(gift("bob", 2)));
        at(r, 10_000);
        assert.deepEqual(r.lines, [
            "t=0 a show alice rose #1 x1",
            "t=2000 a hide alice rose #1 x1",
            "t=2000 a show bob rose #3 x3",
            "t=4000 a hide bob rose #3 x3",
        ]);
    });

    test("an animated combo received x1, x3, x2 plays its animations in giftNumber order", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("alice", 1)));
        at(r, 100, () => r.presenter.push(rocket("bob", 1)));
        at(r, 200, () => r.presenter.push(rocket("bob", 3)));
        at(r, 300, () => r.presenter.push(rocket("bob", 2)));
        at(r, 3000, () => endPlayingAnimation(r));
        at(r, 4000, () => endPlayingAnimation(r));
        at(r, 6000, () => endPlayingAnimation(r));
        assert.deepEqual(r.lines, [
            "t=0 b show alice rocket #1 x1",
            "t=0 b start alice rocket #1 banner",
            "t=2000 b hide alice rocket #1 x1",
            "t=3000 b end alice rocket #1",
            "t=3000 b show bob rocket #3 x3",
            "t=3000 b start bob rocket #1 banner",
            "t=4000 b end bob rocket #1",
            "t=5000 b hide bob rocket #3 x3",
            "t=5000 b start bob rocket #2 no-banner",
            "t=6000 b end bob rocket #2",
            "t=6000 b start bob rocket #3 no-banner",
        ]);
    });
});

describe("late duplicates", () => {
    test("a static hit at or below the number shown changes nothing, even after its combo ended", () => {
        const r = recorded();
        at(r, 0, () => assert.equal(r.presenter.push(gift("alice", 1)), "accepted"));
        at(r, 500, () => assert.equal(r.presenter.push(gift("alice", 3)), "accepted"));
        at(r, 800, () => assert.equal(r.presenter.push(gift("alice", 3)), "duplicate"));
        // x2 arrives after x3 was shown: announcing "2" now would read as two more gifts.
        at(r, 900, () => assert.equal(r.presenter.push(gift("alice", 2)), "accepted"));
        at(r, 3000, () => assert.equal(r.presenter.push(gift("alice", 1)), "duplicate"));
        at(r, 10_000);
        assert.deepEqual(r.lines, [
            "t=0 a show alice rose #1 x1",
            "t=500 a update alice rose #3 x3",
            "t=2500 a hide alice rose #3 x3",
        ]);
    });

    test("a late animated hit plays its animation without a banner; a repeated one plays nothing", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("alice", 1)));
        at(r, 300, () => r.presenter.push(rocket("alice", 3)));
        at(r, 1000, () => endPlayingAnimation(r));
        at(r, 2400, () => assert.equal(r.presenter.push(rocket("alice", 2)), "accepted"));
        at(r, 3000, () => endPlayingAnimation(r));
        at(r, 3100, () => assert.equal(r.presenter.push(rocket("alice", 3)), "duplicate"));
        at(r, 3500, () => endPlayingAnimation(r));
        at(r, 30_000);
        assert.deepEqual(r.lines, [
            "t=0 b show alice rocket #1 x1",
            "t=0 b start alice rocket #1 banner",
            "t=300 b update alice rocket #3 x3",
            "t=1000 b end alice rocket #1",
            "t=2300 b hide alice rocket #3 x3",
            "t=2300 b start alice rocket #3 no-banner",
            "t=3000 b end alice rocket #3",
            "t=3000 b start alice rocket #2 no-banner",
            "t=3500 b end alice rocket #2",
        ]);
    });
});

describe("two users interleaved", () => {
    test("static hits A1, B1, A2, B2 merge per user: A climbs to 2, then B shows 2", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(gift("alice", 1)));
        at(r, 100, () => r.presenter.push(gift("bob", 1)));
        at(r, 200, () => r.presenter.push(gift("alice", 2)));
        at(r, 300, () => r.presenter.push(gift("bob", 2)));
        at(r, 10_000);
        assert.deepEqual(r.lines, [
            "t=0 a show alice rose #1 x1",
            "t=200 a update alice rose #2 x2",
            "t=2200 a hide alice rose #2 x2",
            "t=2200 a show bob rose #2 x2",
            "t=4200 a hide bob rose #2 x2",
        ]);
        assert.equal(r.banners[1]?.id, r.banners[0]?.id, "an update keeps the banner's id");
        assert.equal(r.banners[1]?.comboHits, 2);
    });

    test("seed case 3: animated A1, B1, A2, B2 play A1, A2 before B1, B2", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("alice", 1)));
        at(r, 500, () => r.presenter.push(rocket("bob", 1)));
        at(r, 1000, () => r.presenter.push(rocket("alice", 2)));
        at(r, 1500, () => r.presenter.push(rocket("bob", 2)));
        at(r, 1800, () => endPlayingAnimation(r));
        at(r, 3500, () => endPlayingAnimation(r));
        at(r, 4000, () => endPlayingAnimation(r));
        at(r, 6000);
        assert.deepEqual(r.lines, [
            "t=0 b show alice rocket #1 x1",
            "t=0 b start alice rocket #1 banner",
            "t=1000 b update alice rocket #2 x2",
            "t=1800 b end alice rocket #1",
            "t=3000 b hide alice rocket #2 x2",
            "t=3000 b start alice rocket #2 no-banner",
            "t=3500 b end alice rocket #2",
            "t=3500 b show bob rocket #2 x2",
            "t=3500 b start bob rocket #1 banner",
            "t=4000 b end bob rocket #1",
            "t=5500 b hide bob rocket #2 x2",
            "t=5500 b start bob rocket #2 no-banner",
        ]);
    });
});

describe("a combo that ends", () => {
    test("a hit 2 s or more after the last one starts a new combo and a new banner", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(gift("alice", 1)));
        at(r, 1999, () => r.presenter.push(gift("alice", 2))); // inside the window: climbs
        at(r, 5999, () => r.presenter.push(gift("alice", 3, { comboTotal: 1 })));
        at(r, 7999, () => r.presenter.push(gift("alice", 4, { comboTotal: 1 }))); // exactly 2 s later
        at(r, 20_000);
        assert.deepEqual(r.lines, [
            "t=0 a show alice rose #1 x1",
            "t=1999 a update alice rose #2 x2",
            "t=3999 a hide alice rose #2 x2",
            "t=5999 a show alice rose #3 x1",
            "t=7999 a hide alice rose #3 x1",
            "t=7999 a show alice rose #4 x1",
            "t=9999 a hide alice rose #4 x1",
        ]);
        assert.deepEqual(
            r.banners.map((banner) => banner.comboHits),
            [1, 2, 1, 1],
            "each new combo counts its hits from one",
        );
        assert.equal(new Set(r.banners.map((banner) => banner.id)).size, 3, "three banners, one of them updated");
    });

    test("a gift that cannot combo is a banner of its own every time", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(gift("alice", 1, { comboable: false })));
        at(r, 100, () => r.presenter.push(gift("alice", 2, { comboable: false, comboTotal: 1 })));
        at(r, 10_000);
        assert.deepEqual(r.lines, [
            "t=0 a show alice rose #1 x1",
            "t=2000 a hide alice rose #1 x1",
            "t=2000 a show alice rose #2 x1",
            "t=4000 a hide alice rose #2 x1",
        ]);
    });

    test("a repeated hit of a gift that cannot combo plays nothing the second time", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("alice", 1, { comboable: false })));
        at(r, 100, () => assert.equal(r.presenter.push(rocket("alice", 1, { comboable: false })), "duplicate"));
        at(r, 500, () => endPlayingAnimation(r));
        at(r, 10_000);
        assert.equal(r.animations.length, 1);
    });
});

describe("superseded banners", () => {
    test("hits queued behind another gift show one banner at the highest number and every animation", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("bob", 1)));
        at(r, 100, () => r.presenter.push(rocket("alice", 1)));
        at(r, 200, () => r.presenter.push(rocket("alice", 2)));
        at(r, 300, () => r.presenter.push(rocket("alice", 3)));
        at(r, 2500, () => endPlayingAnimation(r)); // bob's
        for (const ms of [5000, 6000, 7000]) {
            at(r, ms, () => endPlayingAnimation(r));
        }
        const aliceBanners = r.banners.filter((banner) => banner.userName === "alice");
        const aliceAnimations = r.animations.filter((animation) => animation.userName === "alice");
        assert.deepEqual(
            aliceBanners.map((banner) => banner.giftNumber),
            [3],
            "x1 and x2 were superseded by x3 before they could show",
        );
        assert.deepEqual(
            aliceAnimations.map((animation) => animation.giftNumber),
            [1, 2, 3],
            "every rocket still flies",
        );
        assert.deepEqual(
            aliceAnimations.map((animation) => animation.bannerId),
            [aliceBanners[0]?.id, undefined, undefined],
        );
    });
});

describe("banner and animation together", () => {
    test("they start at the same moment and the next gift waits for the banner", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("alice", 1)));
        assert.equal(r.banners.length, 1);
        assert.equal(r.animations.length, 1);
        assert.equal(r.animations[0]?.bannerId, r.banners[0]?.id);
        at(r, 100, () => r.presenter.push(rocket("bob", 1)));
        at(r, 500, () => endPlayingAnimation(r)); // alice's animation is done, her banner is not
        assert.equal(r.presenter.snapshot().b.animation, undefined);
        assert.equal(r.animations.length, 1, "bob waits while alice's banner is up");
        at(r, 2000);
        assert.deepEqual(r.lines.slice(-3), [
            "t=2000 b hide alice rocket #1 x1",
            "t=2000 b show bob rocket #1 x1",
            "t=2000 b start bob rocket #1 banner",
        ]);
    });

    test("the next gift waits for a long animation after its banner has gone", () => {
        const r = recorded();
        at(r, 0, () => r.presenter.push(rocket("alice", 1)));
        at(r, 100, () => r.presenter.push(rocket("bob", 1)));
        at(r, 5000);
        assert.equal(r.presenter.snapshot().b.banner, undefined, "alice's banner has gone");
        assert.equal(r.animations.length, 1, "bob waits while alice's rocket still flies");
        const alice = r.animations[0];
        assert.ok(alice);
        at(r, 6000, () => assert.equal(r.presenter.animationEnded(alice.id), true));
        assert.equal(r.presenter.animationEnded(alice.id), false, "an animation ends once");
        assert.deepEqual(r.lines.slice(-3), [
            "t=6000 b end alice rocket #1",
            "t=6000 b show bob rocket #1 x1",
            "t=6000 b start bob rocket #1 banner",
        ]);
    });

    test("an animation the renderer never reports ends at the time-out", () => {
        const r = recorded({ animationTimeoutMs: 15_000 });
        at(r, 0, () => r.presenter.push(rocket("alice", 1)));
        at(r, 100, () => r.presenter.push(rocket("bob", 1)));
        at(r, 14_999);
        assert.equal(r.animations.length, 1);
        at(r, 15_000);
        assert.deepEqual(r.lines.slice(-3), [
            "t=15000 b end alice rocket #1",
            "t=15000 b show bob rocket #1 x1",
            "t=15000 b start bob rocket #1 banner",
        ]);
    });
});

describe("lanes", () => {
    test("static gifts use lane A, animated ones lane B, and neither waits for the other", () => {
        const r = recorded();
        at(r, 0, () => {
            r.presenter.push(gift("alice", 1));
            r.presenter.push(rocket("bob", 1));
        });
        at(r, 100, () => r.presenter.push(gift("carol", 1)));
        at(r, 2000); // bob's rocket is still flying: lane A moves on anyway
        assert.deepEqual(r.lines, [
            "t=0 a show alice rose #1 x1",
            "t=0 b show bob rocket #1 x1",
            "t=0 b start bob rocket #1 banner",
            "t=2000 a hide alice rose #1 x1",
            "t=2000 a show carol rose #1 x1",
            "t=2000 b hide bob rocket #1 x1",
        ]);
        assert.deepEqual(
            r.animations.map((animation) => animation.userName),
            ["bob"],
            "a static gift has no animation",
        );
        const snapshot = r.presenter.snapshot();
        assert.equal(snapshot.a.banner?.userName, "carol");
        assert.equal(snapshot.a.animation, undefined);
        assert.equal(snapshot.b.animation?.userName, "bob");
    });
});

describe("renderers", () => {
    test("a renderer may end an animation from inside its start callback and the lane goes on", () => {
        const clock = new FakeClock();
        const started: number[] = [];
        const presenter: Presenter = new Presenter(clock, {}, {
            onBanner: () => {},
            // An effect that fails to load ends at once.
            onAnimation: ({ kind, animation }) => {
                if (kind === "start") {
                    started.push(animation.giftNumber);
                    presenter.animationEnded(animation.id);
                }
            },
        });
        presenter.push(rocket("alice", 1));
        presenter.push(rocket("bob", 5));
        assert.deepEqual(started, [1]);
        clock.advance(2000); // alice's banner goes, bob's step starts and ends its animation at once
        assert.deepEqual(started, [1, 5]);
        clock.advance(2000);
        assert.deepEqual(presenter.snapshot().b, { banner: undefined, animation: undefined, waitingHits: 0 });
    });
});

describe("bounds and bad input", () => {
    test("hits past waitingHitsMax are refused and the queue stays as it was", () => {
        const r = recorded({ waitingHitsMax: 2 });
        r.presenter.push(rocket("alice", 1));
        assert.equal(r.presenter.push(rocket("bob", 1)), "accepted");
        assert.equal(r.presenter.push(rocket("carol", 1)), "accepted");
        assert.equal(r.presenter.push(rocket("dan", 1)), "overflow");
        assert.equal(r.presenter.snapshot().b.waitingHits, 2);
    });

    test("an event breaking GiftEvent's rules is refused", () => {
        const r = recorded();
        assert.equal(r.presenter.push(gift("alice", 0)), "invalid");
        assert.equal(r.presenter.push(gift("alice", 1, { count: 0 })), "invalid");
        assert.equal(r.presenter.push(rocket("alice", 1, { effectUrl: "" })), "invalid");
        assert.deepEqual(r.lines, []);
    });

    test("dispose stops every timer", () => {
        const r = recorded();
        r.presenter.push(gift("alice", 1));
        r.presenter.push(rocket("bob", 1));
        r.presenter.dispose();
        assert.equal(r.clock.pendingCount(), 0);
    });
});
