// The room's own settings: the identity code for games, live status/title/area, the built-in
// bot's rules, running games, and the host's earnings.
import { useEffect, useState } from 'preact/hooks';

import type { RoomInfo } from '../../live/api_client';
import { summarize, withAnnouncement, withoutItem, withReply, withWelcome, type Rules } from '../../console/bot_rules';
import type { BotState, Earnings, EarningsLine, RunningGame, StreamerApi } from '../../console/streamer_api';
import { checkAreaName, checkTitle, parseJsonObject, parseWhole } from '../../console/validate';
import type { Reporter } from './report';

function inputValue(event: Event): string {
    return (event.target as HTMLInputElement).value;
}

// The identity code a game asks the streamer for: hidden until "Show", refreshable.
export function IdentityCode({ api, report }: { api: StreamerApi; report: Reporter }) {
    const [code, setCode] = useState<string | undefined>(undefined);
    const show = async () => {
        const result = await api.identityCode();
        if (!result.ok) return report.fail('Identity code', result.error);
        setCode(result.data.code);
    };
    const refresh = async () => {
        const result = await api.refreshIdentityCode();
        if (!result.ok) return report.fail('Identity code', result.error);
        setCode(result.data.code);
        report.done('Identity code', 'a new code; the old one no longer starts games (running games go on)');
    };
    return (
        <section class="card" data-testid="identity-section">
            <h2>Identity code</h2>
            <p class="hint">Games ask for it to start in this room. Keep it private.</p>
            <div class="row">
                {code === undefined ? (
                    <button type="button" data-testid="code-show" onClick={() => void show()}>
                        Show
                    </button>
                ) : (
                    <>
                        <code class="secret" data-testid="code">
                            {code}
                        </code>
                        <button type="button" data-testid="code-hide" onClick={() => setCode(undefined)}>
                            Hide
                        </button>
                    </>
                )}
                <button type="button" data-testid="code-refresh" onClick={() => void refresh()}>
                    Refresh
                </button>
            </div>
        </section>
    );
}

// Start and stop the live, edit its title and area.
export function LiveStatus({ api, room, report, changed }: { api: StreamerApi; room: RoomInfo | undefined; report: Reporter; changed: () => void }) {
    const [title, setTitle] = useState('');
    const [areaId, setAreaId] = useState('');
    const [areaName, setAreaName] = useState('');
    useEffect(() => {
        if (room !== undefined) {
            setTitle(room.title);
            setAreaId(String(room.area_id));
            setAreaName(room.area_name);
        }
    }, [room]);

    const send = async (live: boolean) => {
        const checkedTitle = checkTitle(title);
        const checkedArea = checkAreaName(areaName);
        const checkedId = parseWhole(areaId === '' ? '0' : areaId, 'area id', 0, 2_000_000_000);
        if (!checkedTitle.ok) return report.fail('Live', checkedTitle.error);
        if (!checkedArea.ok) return report.fail('Live', checkedArea.error);
        if (!checkedId.ok) return report.fail('Live', checkedId.error);
        const result = await api.setLive({ live, title: checkedTitle.value, area_id: checkedId.value, area_name: checkedArea.value });
        if (!result.ok) return report.fail('Live', result.error);
        report.done('Live', result.data.live ? `live: ${result.data.title}` : 'not live');
        changed();
    };
    const live = room?.live ?? false;
    return (
        <section class="card" data-testid="live-section">
            <h2>Live</h2>
            <p data-testid="live-status" class={live ? 'on-air' : 'off-air'}>
                {room === undefined ? 'loading…' : live ? `On air · ${room.online} online` : 'Not live'}
            </p>
            <form
                class="row"
                onSubmit={(event) => {
                    event.preventDefault();
                    void send(live);
                }}
            >
                <label class="wide">
                    title
                    <input data-testid="live-title" maxLength={40} value={title} onInput={(e) => setTitle(inputValue(e))} />
                </label>
                <label>
                    area id
                    <input data-testid="live-area-id" inputMode="numeric" value={areaId} onInput={(e) => setAreaId(inputValue(e))} />
                </label>
                <label>
                    area
                    <input data-testid="live-area-name" maxLength={20} value={areaName} onInput={(e) => setAreaName(inputValue(e))} />
                </label>
                <button type="submit" data-testid="live-save">
                    Save
                </button>
                <button type="button" data-testid="live-toggle" onClick={() => void send(!live)}>
                    {live ? 'Stop live' : 'Start live'}
                </button>
            </form>
        </section>
    );
}

const BOT_EXAMPLE = {
    name: '小助手',
    utc_offset_minutes: 480,
    welcome: { text: '欢迎 {name} 进入直播间', user_cooldown_s: 600, gap_s: 2 },
    replies: [{ match: 'exact', pattern: '!time', reply: '@{name} 每晚八点开播', cooldown_s: 30 }],
    announcements: [{ text: '喜欢的话点个关注吧', every_min: 10, live_only: true }],
};

// The built-in bot: welcome, keyword replies and scheduled announcements (docs/bots.md), edited
// as its rules' JSON, checked before sending; the server's field errors show in the error bar.
export function Bots({ api, report }: { api: StreamerApi; report: Reporter }) {
    const [text, setText] = useState('');
    const [state, setState] = useState<BotState | undefined>(undefined);
    const load = async () => {
        const result = await api.bots();
        if (!result.ok) return report.fail('Bots', result.error);
        setState(result.data);
        setText(JSON.stringify(result.data.rules ?? {}, null, 2));
    };
    useEffect(() => {
        void load();
    }, [api]);
    const save = async () => {
        const parsed = parseJsonObject(text);
        if (!parsed.ok) return report.fail('Bots', parsed.error);
        const result = await api.setBots(parsed.value);
        if (!result.ok) return report.fail('Bots', result.error);
        setText(JSON.stringify(result.data.rules ?? {}, null, 2));
        report.done('Bots', result.data.rules === null || Object.keys(result.data.rules).length === 0 ? 'the bot is off' : 'rules in force');
    };
    const counters = state?.counters;
    // The friendly forms edit the JSON in the text area; what they do not cover is kept.
    const edit = (change: (rules: Rules) => Rules) => {
        const parsed = parseJsonObject(text.trim() === '' ? '{}' : text);
        if (!parsed.ok) return report.fail('Bots', parsed.error);
        setText(JSON.stringify(change(parsed.value), null, 2));
    };
    const current = parseJsonObject(text.trim() === '' ? '{}' : text);
    const summary = current.ok ? summarize(current.value) : undefined;
    return (
        <section class="card" data-testid="bots-section">
            <h2>Bot and scheduled messages</h2>
            <p class="hint">welcome, replies (exact / contains / regex) and announcements (every_min or cron); {'{}'} turns the bot off.</p>
            <BotForms edit={edit} report={report} />
            {summary !== undefined && (
                <ul class="list" data-testid="bots-summary">
                    <li>
                        <span>welcome: {summary.welcome ?? 'none'}</span>
                        {summary.welcome !== undefined && (
                            <button type="button" onClick={() => edit((rules) => withWelcome(rules, ''))}>
                                Remove
                            </button>
                        )}
                    </li>
                    {summary.replies.map((line, index) => (
                        <li>
                            <span>reply {line}</span>
                            <button type="button" onClick={() => edit((rules) => withoutItem(rules, 'replies', index))}>
                                Remove
                            </button>
                        </li>
                    ))}
                    {summary.announcements.map((line, index) => (
                        <li>
                            <span>announce {line}</span>
                            <button type="button" onClick={() => edit((rules) => withoutItem(rules, 'announcements', index))}>
                                Remove
                            </button>
                        </li>
                    ))}
                </ul>
            )}
            <p class="hint">The rules as JSON (saved as written):</p>
            <textarea data-testid="bots-rules" rows={12} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
            <div class="row">
                <button type="button" data-testid="bots-save" onClick={() => void save()}>
                    Save rules
                </button>
                <button type="button" onClick={() => setText(JSON.stringify(BOT_EXAMPLE, null, 2))}>
                    Example
                </button>
                <button type="button" class="link" onClick={() => void load()}>
                    Reload
                </button>
            </div>
            {counters !== undefined && (
                <p class="hint" data-testid="bots-counters">
                    said since start: {counters.welcomes} welcomes ({counters.welcomes_skipped} skipped), {counters.replies} replies ({counters.replies_cooling} cooling),{' '}
                    {counters.announcements} announcements ({counters.announcements_offline} skipped offline)
                </p>
            )}
        </section>
    );
}

// Forms that add a welcome, a keyword reply or an announcement to the rules being edited.
function BotForms({ edit, report }: { edit: (change: (rules: Rules) => Rules) => void; report: Reporter }) {
    const [welcome, setWelcome] = useState('');
    const [match, setMatch] = useState<'exact' | 'contains' | 'regex'>('contains');
    const [pattern, setPattern] = useState('');
    const [reply, setReply] = useState('');
    const [announcement, setAnnouncement] = useState('');
    const [when, setWhen] = useState('10');
    const [liveOnly, setLiveOnly] = useState(false);
    const addAnnouncement = () => {
        if (announcement.trim() === '') return report.fail('Bots', 'an announcement needs its text');
        const trimmed = when.trim();
        if (/^\d+$/.test(trimmed)) {
            const minutes = parseWhole(trimmed, 'every (minutes)', 1, 1440);
            if (!minutes.ok) return report.fail('Bots', minutes.error);
            edit((rules) => withAnnouncement(rules, { text: announcement.trim(), every_min: minutes.value, live_only: liveOnly }));
        } else if (trimmed.split(/\s+/).length === 5) {
            edit((rules) => withAnnouncement(rules, { text: announcement.trim(), cron: trimmed, live_only: liveOnly }));
        } else {
            return report.fail('Bots', 'when: minutes (1..1440) or a five-field cron line');
        }
        setAnnouncement('');
    };
    return (
        <>
            <div class="row">
                <label class="wide">
                    welcome ({'{name}'} is the viewer)
                    <input data-testid="bot-welcome" value={welcome} onInput={(e) => setWelcome(inputValue(e))} />
                </label>
                <button type="button" data-testid="bot-welcome-set" onClick={() => edit((rules) => withWelcome(rules, welcome))}>
                    Set welcome
                </button>
            </div>
            <div class="row">
                <label>
                    match
                    <select value={match} onChange={(e) => setMatch((e.target as HTMLSelectElement).value as 'exact' | 'contains' | 'regex')}>
                        <option value="contains">contains</option>
                        <option value="exact">exact</option>
                        <option value="regex">regex</option>
                    </select>
                </label>
                <label>
                    keyword
                    <input data-testid="bot-reply-pattern" value={pattern} onInput={(e) => setPattern(inputValue(e))} />
                </label>
                <label class="wide">
                    reply
                    <input data-testid="bot-reply-text" value={reply} onInput={(e) => setReply(inputValue(e))} />
                </label>
                <button
                    type="button"
                    data-testid="bot-reply-add"
                    onClick={() => {
                        if (pattern.trim() === '' || reply.trim() === '') return report.fail('Bots', 'a reply needs a keyword and its answer');
                        edit((rules) => withReply(rules, { match, pattern: pattern.trim(), reply: reply.trim() }));
                        setPattern('');
                        setReply('');
                    }}
                >
                    Add reply
                </button>
            </div>
            <div class="row">
                <label class="wide">
                    announcement
                    <input data-testid="bot-announcement-text" value={announcement} onInput={(e) => setAnnouncement(inputValue(e))} />
                </label>
                <label>
                    every (min) or cron
                    <input data-testid="bot-announcement-when" value={when} onInput={(e) => setWhen(inputValue(e))} />
                </label>
                <label class="check">
                    <input type="checkbox" checked={liveOnly} onChange={(e) => setLiveOnly((e.target as HTMLInputElement).checked)} />
                    live only
                </label>
                <button type="button" data-testid="bot-announcement-add" onClick={addAnnouncement}>
                    Add announcement
                </button>
            </div>
        </>
    );
}

// The open-platform games running in the room (GET /api/v1/rooms/{room}/games).
export function Games({ api }: { api: StreamerApi }) {
    const [games, setGames] = useState<readonly RunningGame[] | undefined>(undefined);
    const load = () => void api.games().then((listed) => setGames(listed.ok ? listed.data.games : []));
    useEffect(load, []);
    return (
        <section class="card" data-testid="games-section">
            <h2>Running games</h2>
            {games !== undefined && games.length === 0 && <p class="hint">No game is running in this room.</p>}
            <ul data-testid="games">
                {(games ?? []).map((game) => (
                    <li>
                        {game.app_name || `app ${game.app_id}`}: running {Math.round(game.running_ms / 60_000)} min, last heartbeat{' '}
                        {Math.round(game.since_heartbeat_ms / 1000)} s ago
                    </li>
                ))}
            </ul>
            <button type="button" onClick={load}>
                Reload
            </button>
        </section>
    );
}

const SHEETS = [
    ['gifts', 'gifts'],
    ['super_chats', 'super chats'],
    ['guards', 'guards'],
    ['paid_danmaku', 'paid danmaku'],
] as const;

// The host's earnings account: totals per kind, the balance, and the last days.
export function EarningsView({ api, report }: { api: StreamerApi; report: Reporter }) {
    const [earnings, setEarnings] = useState<Earnings | undefined>(undefined);
    const load = async () => {
        const result = await api.earnings();
        if (!result.ok) return report.fail('Earnings', result.error);
        setEarnings(result.data);
    };
    useEffect(() => {
        void load();
    }, [api]);
    const row = (name: string, line: EarningsLine) => (
        <tr>
            <th scope="row">{name}</th>
            <td>{line.orders}</td>
            <td>{line.gross}</td>
            <td>{line.earned}</td>
            <td>{line.refunded_earned}</td>
            <td>{line.net}</td>
        </tr>
    );
    return (
        <section class="card" data-testid="earnings-section">
            <h2>Earnings (coins)</h2>
            {earnings === undefined ? (
                <p class="hint">loading…</p>
            ) : (
                <>
                    <p data-testid="earnings-balance">
                        balance {earnings.balance} · net {earnings.total.net} · paid out {earnings.total.paid_out}
                    </p>
                    <div class="scroll">
                        <table>
                            <thead>
                                <tr>
                                    <th />
                                    <th>orders</th>
                                    <th>gross</th>
                                    <th>earned</th>
                                    <th>refunded</th>
                                    <th>net</th>
                                </tr>
                            </thead>
                            <tbody>{SHEETS.map(([key, name]) => row(name, earnings.total[key]))}</tbody>
                        </table>
                    </div>
                    <ul class="list">
                        {earnings.days
                            .slice(-7)
                            .reverse()
                            .map((day) => (
                                <li>
                                    <span>
                                        {String(day.day)}: net {day.net}
                                    </span>
                                </li>
                            ))}
                    </ul>
                </>
            )}
            <button type="button" class="link" onClick={() => void load()}>
                Reload
            </button>
        </section>
    );
}
