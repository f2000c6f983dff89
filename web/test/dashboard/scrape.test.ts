import assert from "node:assert/strict";
import { test } from "node:test";

import { parsePrometheusText } from "../../src/dashboard/prometheus.js";
import { labelIs, RateComputer, rateOf, valueOf } from "../../src/dashboard/scrape.js";

const scrapeText = (published: number, refusedApp: number, refusedCode: number, open: number) => `# TYPE barrage_messages_published_total counter
barrage_messages_published_total ${published}
barrage_open_refused_total{kind="app",cause="limit"} ${refusedApp}
barrage_open_refused_total{kind="code",cause="ban"} ${refusedCode}
# TYPE barrage_connections_open gauge
barrage_connections_open ${open}
`;

test("the first scrape has values and no rates; the next gives rates per second", () => {
    const rates = new RateComputer();
    const first = rates.next(parsePrometheusText(scrapeText(100, 0, 0, 5)), 10_000);
    assert.equal(valueOf(first, "barrage_connections_open"), 5);
    assert.equal(rateOf(first, "barrage_messages_published_total"), undefined);
    const second = rates.next(parsePrometheusText(scrapeText(300, 4, 2, 7)), 12_000);
    assert.equal(rateOf(second, "barrage_messages_published_total"), 100);
    assert.equal(rateOf(second, "barrage_open_refused_total"), 3);
    assert.equal(rateOf(second, "barrage_open_refused_total", labelIs("kind", "code")), 1);
    assert.equal(rateOf(second, "barrage_connections_open"), undefined, "gauges have no rate");
    assert.equal(valueOf(second, "barrage_open_refused_total", labelIs("kind", "app")), 4);
});

test("a counter that went down restarted from zero: its new value is the increase", () => {
    const rates = new RateComputer();
    rates.next(parsePrometheusText(scrapeText(1000, 0, 0, 5)), 0);
    const afterRestart = rates.next(parsePrometheusText(scrapeText(40, 0, 0, 1)), 2_000);
    assert.equal(rateOf(afterRestart, "barrage_messages_published_total"), 20);
    const next = rates.next(parsePrometheusText(scrapeText(60, 0, 0, 1)), 4_000);
    assert.equal(rateOf(next, "barrage_messages_published_total"), 10);
});

test("a series new in this scrape, or a clock that did not move, has no rate", () => {
    const rates = new RateComputer();
    rates.next(parsePrometheusText("x_total 1\n"), 0);
    const later = rates.next(parsePrometheusText("x_total 3\ny_total 5\n"), 1_000);
    assert.equal(rateOf(later, "x_total"), 2);
    assert.equal(rateOf(later, "y_total"), undefined);
    const same = rates.next(parsePrometheusText("x_total 9\n"), 1_000);
    assert.equal(rateOf(same, "x_total"), undefined);
});

test("without a TYPE line, names ending in _total are counters", () => {
    const rates = new RateComputer();
    rates.next(parsePrometheusText("a_total 1\nb 1\n"), 0);
    const next = rates.next(parsePrometheusText("a_total 2\nb 2\n"), 1_000);
    assert.equal(rateOf(next, "a_total"), 1);
    assert.equal(rateOf(next, "b"), undefined);
});
