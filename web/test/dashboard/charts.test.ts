import assert from "node:assert/strict";
import { test } from "node:test";

import { DashboardModel, formatFigure, kCharts } from "../../src/dashboard/charts.js";
import { History } from "../../src/dashboard/history.js";

const metrics = (n: number) => `barrage_connections_open ${n}
barrage_rooms 3
barrage_messages_published_total ${n * 100}
barrage_frames_delivered_total ${n * 1000}
barrage_bytes_delivered_total ${n * 50000}
barrage_outbound_overflow_total ${n}
barrage_shed_sampled_total ${n * 2}
barrage_shed_coalesced_total 0
barrage_publish_rejected_total 0
barrage_like_taps_total ${n * 10}
barrage_like_taps_capped_total 0
barrage_open_refused_total{kind="app",cause="limit"} ${n}
barrage_open_refused_total{kind="app",cause="ban"} ${n}
barrage_open_bans_active{kind="app"} 1
barrage_open_bans_active{kind="address"} 2
barrage_open_calls_total{endpoint="/v2/app/start"} ${n}
barrage_open_calls_total{endpoint="/v2/app/heartbeat"} ${n * 20}
`;

test("every chart has a unique name", () => {
    const names = kCharts.map((chart) => chart.name);
    assert.deepEqual(new Set(names).size, names.length);
});

test("the model turns scrapes into each chart's values and rates", () => {
    const model = new DashboardModel();
    model.ingest(metrics(1), 0);
    assert.equal(model.latest("connections"), 1);
    assert.equal(model.latest("rooms"), 3);
    assert.equal(model.latest("messages-in"), undefined, "a rate needs two scrapes");
    assert.equal(model.latest("open-bans"), 3);
    model.ingest(metrics(3), 2_000);
    assert.equal(model.latest("connections"), 3);
    assert.equal(model.latest("messages-in"), 100);
    assert.equal(model.latest("frames-out"), 1000);
    assert.equal(model.latest("bytes-out"), 50000);
    assert.equal(model.latest("drops"), 3); // overflow 1/s + sampled 2/s
    assert.equal(model.latest("likes"), 10);
    assert.equal(model.latest("open-refused"), 2);
    assert.equal(model.latest("open-calls"), 21); // starts 1/s + heartbeats 20/s
    const [times, published] = model.data("messages-in");
    assert.deepEqual(times, [0, 2]);
    assert.deepEqual(published, [null, 100]);
});

test("a failed scrape keeps the points and says what went wrong", () => {
    const model = new DashboardModel();
    model.ingest(metrics(1), 0);
    model.failed(2_000, "HTTP 503");
    assert.equal(model.status.problem, "HTTP 503");
    assert.equal(model.latest("connections"), 1);
    model.ingest(metrics(5), 4_000);
    assert.equal(model.status.problem, "");
    assert.equal(model.latest("messages-in"), 100, "the rate spans the gap: 400 in 4 s");
});

test("hours of scrapes every 2 s keep only the last five minutes", () => {
    const model = new DashboardModel();
    for (let i = 0; i < 3 * 3600 / 2; i += 1) {
        model.ingest(metrics(i), i * 2_000);
    }
    for (const chart of kCharts) {
        const [times] = model.data(chart.name);
        assert.ok(times.length <= 151, `${chart.name}: ${times.length} points`);
        assert.ok(times[0]! >= (3 * 3600 - 2) - 300, chart.name);
    }
});

test("the history is capped in points too, whatever the interval", () => {
    const history = new History(1, { windowMs: 60_000, pointsMax: 10 });
    for (let i = 0; i < 100; i += 1) {
        history.push(i, [i]);
    }
    assert.equal(history.length, 10);
    assert.equal(history.latest(0), 99);
    history.push(200, [Number.NaN]);
    assert.equal(history.latest(0), undefined);
});

test("figures read as text", () => {
    assert.equal(formatFigure(undefined, "/s"), "–");
    assert.equal(formatFigure(42, ""), "42");
    assert.equal(formatFigure(2.345, "/s"), "2.3/s");
    assert.equal(formatFigure(12_345, "/s"), "12.3k/s");
    assert.equal(formatFigure(2_500_000, " B/s"), "2.5M B/s");
});
