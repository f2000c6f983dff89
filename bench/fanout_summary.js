'use strict';
// Helper of bench/run_fanout.sh. Reads the JSON lines the harness collected (one per run:
// the load generator's --json output plus "point" and "label") and either
//   node fanout_summary.js table FILE [TITLE]   prints a Markdown table of per-label medians
//   node fanout_summary.js loss FILE LABEL      prints the median loss % of one label's runs
//   node fanout_summary.js delivered FILE LABEL prints the median deliveries/s of one label's runs
// Medians of two runs are their mean; every figure is the median of its own column.

const fs = require('fs');

function readRuns(file) {
    return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
}

function median(values) {
    const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v))
        .sort((a, b) => a - b);
    if (sorted.length === 0) {
        return undefined;
    }
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function fixed(value, digits) {
    return value === undefined ? '–' : value.toFixed(digits);
}

function groupByLabel(runs) {
    const groups = new Map();
    for (const run of runs) {
        if (!groups.has(run.label)) {
            groups.set(run.label, []);
        }
        groups.get(run.label).push(run);
    }
    return groups;
}

// Delivery figures mean nothing for an idle run (nothing is published): shown as a dash.
const publishing = (fn) => (runs) => (runs[0].idle ? '–' : fn(runs));

const columns = [
    ['point', (runs) => runs[0].point],
    // "peer": the harness's target name (epoll is driven as the load generator's ws target).
    ['target', (runs) => (runs[0].peer ?? runs[0].target) + (runs[0].target === 'barrage'
        ? ` (${runs[0].transport}, v${runs[0].protover})` : '')],
    ['subscribers', (runs) => fixed(median(runs.map((r) => r.connections_ready)), 0)],
    ['rate msg/s', (runs) => (runs[0].idle ? 'idle' : fixed(runs[0].rate_per_s, 0))],
    ['size B', publishing((runs) => String(runs[0].size_bytes))],
    ['delivered/s', publishing((runs) => fixed(median(runs.map((r) => r.deliveries_per_s)), 0))],
    ['loss %', publishing((runs) => fixed(median(runs.map((r) => r.loss_percent)), 3))],
    ['p50 ms', publishing((runs) => fixed(median(runs.map((r) => r.latency_p50_ms)), 2))],
    ['p99 ms', publishing((runs) => fixed(median(runs.map((r) => r.latency_p99_ms)), 2))],
    ['p99.9 ms', publishing((runs) => fixed(median(runs.map((r) => r.latency_p999_ms)), 2))],
    ['max ms', publishing((runs) => fixed(median(runs.map((r) => r.latency_max_ms)), 2))],
    ['server CPU s / 1M', publishing((runs) =>
        fixed(median(runs.map((r) => r.server_cpu_s_per_million)), 2))],
    ['server RSS MiB', (runs) => fixed(median(runs.map((r) => r.server_rss_end_bytes / 1048576)), 1)],
    // Idle runs measure after holding; publishing runs right after connecting.
    ['RSS / conn KiB', (runs) => fixed(median(runs.map((r) => (r.server_rss_per_connection_bytes
        ?? (r.server_rss_connected_bytes - r.server_rss_before_bytes) / r.connections_ready) / 1024)), 2)],
    ['loadgen CPU s / 1M', publishing((runs) =>
        fixed(median(runs.map((r) => r.loadgen_cpu_s_per_million)), 2))],
    ['failed+lost conns', (runs) =>
        fixed(median(runs.map((r) => r.connections_lost + r.connections_failed)), 0)],
    ['runs', (runs) => String(runs.length)],
];

function table(file, title) {
    const groups = groupByLabel(readRuns(file));
    const lines = [];
    if (title) {
        lines.push(`### ${title}`, '');
    }
    lines.push(`| ${columns.map(([name]) => name).join(' | ')} |`);
    lines.push(`|${columns.map(() => ' --- ').join('|')}|`);
    for (const runs of groups.values()) {
        lines.push(`| ${columns.map(([, cell]) => cell(runs)).join(' | ')} |`);
    }
    console.log(lines.join('\n'));
}

function loss(file, label) {
    const runs = readRuns(file).filter((run) => run.label === label);
    const value = median(runs.map((r) => (r.connections_ready > 0 ? r.loss_percent : 100)));
    console.log(value === undefined ? '100' : String(value));
}

function delivered(file, label) {
    const runs = readRuns(file).filter((run) => run.label === label);
    const value = median(runs.map((r) => r.deliveries_per_s));
    console.log(value === undefined ? '0' : value.toFixed(0));
}

const [mode, file, extra] = process.argv.slice(2);
if (mode === 'table') {
    table(file, extra);
} else if (mode === 'loss') {
    loss(file, extra);
} else if (mode === 'delivered') {
    delivered(file, extra);
} else {
    console.error('usage: fanout_summary.js table FILE [TITLE] | loss FILE LABEL | delivered FILE LABEL');
    process.exit(1);
}
