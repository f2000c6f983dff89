// The Prometheus text exposition format (version 0.0.4), as `GET /metrics` answers it: one
// sample a line, `name{label="value",...} value [timestamp]`, with `# HELP` and `# TYPE`
// comments. Pure: no DOM, no clock. A line that does not parse is counted and skipped, so one
// odd line never hides the rest of a scrape.

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
    readonly name: string;
    readonly labels: Labels;
    readonly value: number; // NaN and ±Infinity as the text says
}

export interface Exposition {
    readonly samples: readonly Sample[];
    readonly types: ReadonlyMap<string, string>; // metric name → counter | gauge | ...
    readonly malformedLines: number;
}

const kName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const kLabelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): Exposition {
    const samples: Sample[] = [];
    const types = new Map<string, string>();
    let malformedLines = 0;
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "") {
            continue;
        }
        if (line.startsWith("#")) {
            const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
            if (type !== null) {
                types.set(type[1]!, type[2]!);
            }
            continue;
        }
        const sample = parseSampleLine(line);
        if (sample === undefined) {
            malformedLines += 1;
        } else {
            samples.push(sample);
        }
    }
    return { samples, types, malformedLines };
}

function parseSampleLine(line: string): Sample | undefined {
    const name = kName.exec(line)?.[0];
    if (name === undefined) {
        return undefined;
    }
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith("{")) {
        rest = rest.slice(1);
        for (;;) {
            rest = rest.trimStart();
            if (rest.startsWith("}")) {
                rest = rest.slice(1);
                break;
            }
            const labelName = kLabelName.exec(rest)?.[0];
            if (labelName === undefined) {
                return undefined;
            }
            rest = rest.slice(labelName.length).trimStart();
            if (!rest.startsWith('="') && !rest.startsWith("=")) {
                return undefined;
            }
            rest = rest.slice(1).trimStart();
            if (!rest.startsWith('"')) {
                return undefined;
            }
            const quoted = readQuoted(rest);
            if (quoted === undefined) {
                return undefined;
            }
            labels[labelName] = quoted.value;
            rest = rest.slice(quoted.length).trimStart();
            if (rest.startsWith(",")) {
                rest = rest.slice(1);
            } else if (!rest.startsWith("}")) {
                return undefined;
            }
        }
    }
    if (rest !== "" && !/^\s/.test(rest)) {
        return undefined; // e.g. "name_x" glued to something odd
    }
    const fields = rest.trim().split(/\s+/);
    if (fields.length < 1 || fields.length > 2 || fields[0] === "") {
        return undefined;
    }
    const value = parseValue(fields[0]!);
    if (value === undefined) {
        return undefined;
    }
    return { name, labels, value };
}

// `"..."` with \\, \" and \n escapes; the value and how many characters the quoted text took.
function readQuoted(text: string): { value: string; length: number } | undefined {
    let value = "";
    for (let i = 1; i < text.length; i += 1) {
        const c = text[i]!;
        if (c === '"') {
            return { value, length: i + 1 };
        }
        if (c === "\\") {
            const next = text[i + 1];
            if (next === undefined) {
                return undefined;
            }
            value += next === "n" ? "\n" : next;
            i += 1;
        } else {
            value += c;
        }
    }
    return undefined;
}

function parseValue(text: string): number | undefined {
    switch (text) {
        case "+Inf":
        case "Inf":
            return Infinity;
        case "-Inf":
            return -Infinity;
        case "NaN":
            return NaN;
    }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
        return undefined;
    }
    return Number(text);
}

// One string per series: the name and its labels sorted by name, as Prometheus prints them.
export function seriesKey(name: string, labels: Labels): string {
    const names = Object.keys(labels).sort();
    if (names.length === 0) {
        return name;
    }
    return `${name}{${names.map((label) => `${label}=${JSON.stringify(labels[label])}`).join(",")}}`;
}
