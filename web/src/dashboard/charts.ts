// What the operator dashboard charts, each figure read from one scrape of /metrics
// (docs/web.md, "The operator dashboard"), and the model that keeps their bounded history.
// Pure: the page feeds it the text it fetched and the time it got it.
import { parsePrometheusText } from "./prometheus.js";
import { type ChartData, History, type HistoryOptions, kDefaultHistory } from "./history.js";
import { labelIs, RateComputer, rateOf, type Scrape, valueOf } from "./scrape.js";

export interface SeriesSpec {
    readonly label: string;
    readonly read: (scrape: Scrape) => number | undefined;
}

export interface ChartSpec {
    readonly name: string; // data-testid="chart-<name>" and "value-<name>"
    readonly title: string;
    readonly unit: string;
    readonly series: readonly SeriesSpec[];
}

const kOpenKinds = ["app", "address", "code", "wrong_code_app", "wrong_code_address"];

export const kCharts: readonly ChartSpec[] = [
    {
        name: "connections",
        title: "Connections open",
        unit: "",
        series: [{ label: "open", read: (s) => valueOf(s, "barrage_connections_open") }],
    },
    { name: "rooms", title: "Rooms", unit: "", series: [{ label: "rooms", read: (s) => valueOf(s, "barrage_rooms") }] },
    {
        name: "messages-in",
        title: "Messages in",
        unit: "/s",
        series: [{ label: "published", read: (s) => rateOf(s, "barrage_messages_published_total") }],
    },
    {
        name: "frames-out",
        title: "Frames delivered",
        unit: "/s",
        series: [{ label: "frames", read: (s) => rateOf(s, "barrage_frames_delivered_total") }],
    },
    {
        name: "bytes-out",
        title: "Bytes delivered",
        unit: " B/s",
        series: [{ label: "bytes", read: (s) => rateOf(s, "barrage_bytes_delivered_total") }],
    },
    {
        name: "drops",
        title: "Drops and shedding",
        unit: "/s",
        series: [
            { label: "overflow", read: (s) => rateOf(s, "barrage_outbound_overflow_total") },
            { label: "sampled", read: (s) => rateOf(s, "barrage_shed_sampled_total") },
            { label: "coalesced", read: (s) => rateOf(s, "barrage_shed_coalesced_total") },
            { label: "rejected", read: (s) => rateOf(s, "barrage_publish_rejected_total") },
        ],
    },
    {
        name: "open-calls",
        title: "Open platform calls",
        unit: "/s",
        series: [
            { label: "start", read: (s) => rateOf(s, "barrage_open_calls_total", labelIs("endpoint", "/v2/app/start")) },
            { label: "heartbeat", read: (s) => rateOf(s, "barrage_open_calls_total", labelIs("endpoint", "/v2/app/heartbeat")) },
            { label: "batchHeartbeat", read: (s) => rateOf(s, "barrage_open_calls_total", labelIs("endpoint", "/v2/app/batchHeartbeat")) },
            { label: "end", read: (s) => rateOf(s, "barrage_open_calls_total", labelIs("endpoint", "/v2/app/end")) },
        ],
    },
    {
        name: "open-refused",
        title: "Open platform refusals",
        unit: "/s",
        series: kOpenKinds.map((kind) => ({
            label: kind,
            read: (s: Scrape) => rateOf(s, "barrage_open_refused_total", labelIs("kind", kind)),
        })),
    },
    {
        name: "open-bans",
        title: "Open platform bans running",
        unit: "",
        series: kOpenKinds.map((kind) => ({
            label: kind,
            read: (s: Scrape) => valueOf(s, "barrage_open_bans_active", labelIs("kind", kind)),
        })),
    },
    {
        name: "likes",
        title: "Like taps",
        unit: "/s",
        series: [
            { label: "added", read: (s) => rateOf(s, "barrage_like_taps_total") },
            { label: "capped", read: (s) => rateOf(s, "barrage_like_taps_capped_total") },
        ],
    },
];

// The figure a chart shows in words: the sum of its series' latest values (one series: that
// value); undefined while none has one (rates need two scrapes).
export function latestTotal(history: History): number | undefined {
    let total: number | undefined;
    for (let i = 0; i < history.seriesCount; i += 1) {
        const value = history.latest(i);
        if (value !== undefined) {
            total = (total ?? 0) + value;
        }
    }
    return total;
}

// A figure as text: whole numbers grouped, rates to one decimal under 100, "–" for none.
export function formatFigure(value: number | undefined, unit: string): string {
    if (value === undefined) {
        return "–";
    }
    const abs = Math.abs(value);
    let text: string;
    if (abs >= 1e9) {
        text = `${(value / 1e9).toFixed(1)}G`;
    } else if (abs >= 1e6) {
        text = `${(value / 1e6).toFixed(1)}M`;
    } else if (abs >= 1e4) {
        text = `${(value / 1e3).toFixed(1)}k`;
    } else if (Number.isInteger(value) || abs >= 100) {
        text = String(Math.round(value));
    } else {
        text = value.toFixed(1);
    }
    return `${text}${unit}`;
}

export interface ScrapeStatus {
    readonly okAtMs: number | undefined;
    readonly failedAtMs: number | undefined;
    readonly problem: string; // the last failure, "" after a success
    readonly malformedLines: number;
}

export class DashboardModel {
    readonly histories: ReadonlyMap<string, History>;
    private readonly rates = new RateComputer();
    private statusValue: ScrapeStatus = { okAtMs: undefined, failedAtMs: undefined, problem: "", malformedLines: 0 };

    constructor(
        readonly charts: readonly ChartSpec[] = kCharts,
        options: HistoryOptions = kDefaultHistory,
    ) {
        this.histories = new Map(charts.map((chart) => [chart.name, new History(chart.series.length, options)]));
    }

    // One /metrics answer received at `atMs`.
    ingest(text: string, atMs: number): void {
        const exposition = parsePrometheusText(text);
        const scrape = this.rates.next(exposition, atMs);
        for (const chart of this.charts) {
            this.histories.get(chart.name)!.push(
                atMs,
                chart.series.map((series) => series.read(scrape)),
            );
        }
        this.statusValue = { okAtMs: atMs, failedAtMs: this.statusValue.failedAtMs, problem: "", malformedLines: exposition.malformedLines };
    }

    // A scrape that failed: the charts keep their points; the next rates span the gap.
    failed(atMs: number, problem: string): void {
        this.statusValue = { ...this.statusValue, failedAtMs: atMs, problem };
    }

    get status(): ScrapeStatus {
        return this.statusValue;
    }

    data(name: string): ChartData {
        return this.histories.get(name)!.data();
    }

    latest(name: string): number | undefined {
        return latestTotal(this.histories.get(name)!);
    }
}
