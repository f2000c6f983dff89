import assert from "node:assert/strict";
import { test } from "node:test";

import { parsePrometheusText, seriesKey } from "../../src/dashboard/prometheus.js";

const kText = `# HELP barrage_connections_open Connections open now.
# TYPE barrage_connections_open gauge
barrage_connections_open 42
# TYPE barrage_open_refused_total counter
barrage_open_refused_total{kind="app",cause="limit"} 7
barrage_open_refused_total{kind="address", cause="ban"} 1.5e3
odd{label="a \\"quoted\\" \\\\ back\\nslash"} +Inf 1700000000000
`;

test("samples keep their names, labels and values; comments give types", () => {
    const parsed = parsePrometheusText(kText);
    assert.equal(parsed.malformedLines, 0);
    assert.deepEqual(parsed.samples[0], { name: "barrage_connections_open", labels: {}, value: 42 });
    assert.deepEqual(parsed.samples[1], { name: "barrage_open_refused_total", labels: { kind: "app", cause: "limit" }, value: 7 });
    assert.deepEqual(parsed.samples[2], { name: "barrage_open_refused_total", labels: { kind: "address", cause: "ban" }, value: 1500 });
    assert.equal(parsed.samples[3]?.labels.label, 'a "quoted" \\ back\nslash');
    assert.equal(parsed.samples[3]?.value, Infinity);
    assert.equal(parsed.types.get("barrage_connections_open"), "gauge");
    assert.equal(parsed.types.get("barrage_open_refused_total"), "counter");
});

test("a malformed line is counted and skipped, the rest still parse", () => {
    const parsed = parsePrometheusText('good 1\nbad{x="unterminated} 2\n{x="y"} 3\nnovalue\nnan NaN\nworse 1 2 3\ntwo{a="1",} 4\nlast -2.5\n');
    assert.deepEqual(
        parsed.samples.map((sample) => sample.name),
        ["good", "nan", "two", "last"],
    );
    assert.ok(Number.isNaN(parsed.samples[1]!.value));
    assert.equal(parsed.samples[3]!.value, -2.5);
    assert.equal(parsed.malformedLines, 4);
});

test("CRLF line ends and empty label sets are accepted", () => {
    const parsed = parsePrometheusText("a{} 1\r\nb 2\r\n");
    assert.deepEqual(parsed.samples, [
        { name: "a", labels: {}, value: 1 },
        { name: "b", labels: {}, value: 2 },
    ]);
});

test("a series key sorts labels, so label order does not matter", () => {
    assert.equal(seriesKey("m", {}), "m");
    assert.equal(seriesKey("m", { b: "2", a: "1" }), seriesKey("m", { a: "1", b: "2" }));
    assert.equal(seriesKey("m", { a: 'x"y' }), 'm{a="x\\"y"}');
});
