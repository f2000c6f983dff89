// The room's moderation sections: mutes and bans with durations, managers, slow mode and chat
// modes (with the whole-room mute), and the word list.
import { useEffect, useState } from 'preact/hooks';

import { formatUntil, parseDuration } from '../../console/duration';
import type { ChatModes, Restriction, RestrictionKind, StreamerApi } from '../../console/streamer_api';
import { checkReason, formatWordLines, parseUid, parseWhole, parseWordLines } from '../../console/validate';
import type { Reporter } from './report';

const DURATIONS = ['10m', '1h', '1d', '7d', 'permanent'];

function inputValue(event: Event): string {
    return (event.target as HTMLInputElement).value;
}

// Mutes or bans: the running list, a form to add one for a duration, a lift button each.
export function Restrictions({ api, kind, report }: { api: StreamerApi; kind: RestrictionKind; report: Reporter }) {
    const one = kind === 'mutes' ? 'mute' : 'ban';
    const section = kind === 'mutes' ? 'Mutes' : 'Bans';
    const [list, setList] = useState<Restriction[]>([]);
    const [uid, setUid] = useState('');
    const [duration, setDuration] = useState('10m');
    const [reason, setReason] = useState('');
    const [busy, setBusy] = useState(false);

    const load = async () => {
        const result = await api.restrictions(kind);
        if (result.ok) {
            setList(result.data);
        } else {
            report.fail(section, result.error);
        }
    };
    useEffect(() => {
        void load();
    }, [api]);

    const submit = async (event: Event) => {
        event.preventDefault();
        const user = parseUid(uid);
        const length = parseDuration(duration);
        const why = checkReason(reason);
        if (!user.ok) return report.fail(section, user.error);
        if (!length.ok) return report.fail(section, length.error);
        if (!why.ok) return report.fail(section, why.error);
        setBusy(true);
        const result = await api.restrict(kind, { uid: user.value, for_s: length.seconds, ...(why.value === '' ? {} : { reason: why.value }) });
        setBusy(false);
        if (!result.ok) return report.fail(section, result.error);
        report.done(section, `${one} of uid ${result.data.uid}: ${formatUntil(result.data.until_ms, Date.now())}`);
        setUid('');
        setReason('');
        await load();
    };

    const lift = async (target: number) => {
        const result = await api.lift(kind, target);
        if (!result.ok) return report.fail(section, result.error);
        report.done(section, `lifted the ${one} of uid ${target}`);
        await load();
    };

    return (
        <section class="card" data-testid={`${kind}-section`}>
            <h2>{section}</h2>
            <form class="row" onSubmit={submit}>
                <label>
                    uid
                    <input data-testid={`${one}-uid`} inputMode="numeric" value={uid} onInput={(e) => setUid(inputValue(e))} />
                </label>
                <label>
                    for
                    <input data-testid={`${one}-duration`} list="durations" value={duration} placeholder="10m, 1h, 1d, permanent" onInput={(e) => setDuration(inputValue(e))} />
                </label>
                <label class="wide">
                    reason
                    <input data-testid={`${one}-reason`} value={reason} onInput={(e) => setReason(inputValue(e))} />
                </label>
                <button type="submit" data-testid={`${one}-submit`} disabled={busy}>
                    {kind === 'mutes' ? 'Mute' : 'Ban'}
                </button>
            </form>
            <ul class="list" data-testid={kind}>
                {list.length === 0 && <li class="empty">none running</li>}
                {list.map((entry) => (
                    <li data-testid={`${one}-row`} data-uid={String(entry.uid)}>
                        <span>
                            uid {entry.uid} · {formatUntil(entry.until_ms, Date.now())} · by {entry.by} ({entry.by_role})
                            {entry.reason !== '' && ` · ${entry.reason}`}
                        </span>
                        <button type="button" data-testid={`${one}-lift`} onClick={() => void lift(entry.uid)}>
                            Lift
                        </button>
                    </li>
                ))}
            </ul>
            <button type="button" class="link" onClick={() => void load()}>
                Reload
            </button>
        </section>
    );
}

export function DurationChoices() {
    return (
        <datalist id="durations">
            {DURATIONS.map((value) => (
                <option value={value} />
            ))}
        </datalist>
    );
}

// The room's managers (from the room's own record); the host adds and removes them.
export function Managers({ api, managers, report, changed }: { api: StreamerApi; managers: readonly number[]; report: Reporter; changed: () => void }) {
    const [uid, setUid] = useState('');
    const submit = async (event: Event) => {
        event.preventDefault();
        const user = parseUid(uid);
        if (!user.ok) return report.fail('Managers', user.error);
        const result = await api.addManager(user.value);
        if (!result.ok) return report.fail('Managers', result.error);
        report.done('Managers', `uid ${user.value} is a manager`);
        setUid('');
        changed();
    };
    const remove = async (target: number) => {
        const result = await api.removeManager(target);
        if (!result.ok) return report.fail('Managers', result.error);
        report.done('Managers', `uid ${target} is no longer a manager`);
        changed();
    };
    return (
        <section class="card" data-testid="managers-section">
            <h2>Managers</h2>
            <form class="row" onSubmit={submit}>
                <label>
                    uid
                    <input data-testid="manager-uid" inputMode="numeric" value={uid} onInput={(e) => setUid(inputValue(e))} />
                </label>
                <button type="submit" data-testid="manager-submit">
                    Add manager
                </button>
            </form>
            <ul class="list" data-testid="managers">
                {managers.length === 0 && <li class="empty">no managers</li>}
                {managers.map((manager) => (
                    <li data-uid={String(manager)}>
                        <span>uid {manager}</span>
                        <button type="button" onClick={() => void remove(manager)}>
                            Remove
                        </button>
                    </li>
                ))}
            </ul>
        </section>
    );
}

// Slow mode and chat modes. The server has no route that reads them back, so a field left empty
// is left as it is, and the answer of a save shows the modes now in force.
export function ChatModesForm({ api, report }: { api: StreamerApi; report: Reporter }) {
    const [slow, setSlow] = useState('');
    const [followers, setFollowers] = useState('');
    const [minLevel, setMinLevel] = useState('');
    const [guards, setGuards] = useState<'keep' | 'on' | 'off'>('keep');
    const [now, setNow] = useState('');
    const [roomMuteFor, setRoomMuteFor] = useState('10m');

    const describe = (m: ChatModes) =>
        `slow mode ${m.slow_s ? `${m.slow_s} s` : 'off'} · followers-only ${m.followers_only_min === undefined || m.followers_only_min < 0 ? 'off' : `${m.followers_only_min} min`} · guards only ${m.guards_only ? 'on' : 'off'} · minimum level ${m.min_level ?? 0}`;
    // What is in force when the console opens (the form's fields stay empty: empty keeps a value).
    useEffect(() => {
        void api.chatModes().then((current) => {
            if (current.ok) {
                const mute = current.data.room_mute;
                setNow(
                    describe(current.data) +
                        (mute === null ? '' : ` · room muted ${mute.until_ms === 0 ? 'until lifted' : `until ${new Date(mute.until_ms).toLocaleString()}`}`),
                );
            }
        });
    }, []);

    const submit = async (event: Event) => {
        event.preventDefault();
        const modes: { slow_s?: number; followers_only_min?: number; guards_only?: boolean; min_level?: number } = {};
        for (const [text, name, min, max, key] of [
            [slow, 'slow mode (seconds)', 0, 3600, 'slow_s'],
            [followers, 'followers-only (minutes, -1 off)', -1, 43200, 'followers_only_min'],
            [minLevel, 'minimum level', 0, 100, 'min_level'],
        ] as const) {
            if (text.trim() === '') continue;
            const checked = parseWhole(text, name, min, max);
            if (!checked.ok) return report.fail('Chat modes', checked.error);
            modes[key] = checked.value;
        }
        if (guards !== 'keep') modes.guards_only = guards === 'on';
        const result = await api.setChatModes(modes);
        if (!result.ok) return report.fail('Chat modes', result.error);
        setNow(describe(result.data));
        report.done('Chat modes', 'saved');
    };
    const muteRoom = async (on: boolean) => {
        if (on) {
            const length = parseDuration(roomMuteFor);
            if (!length.ok) return report.fail('Room mute', length.error);
            const result = await api.muteRoom(length.seconds);
            if (!result.ok) return report.fail('Room mute', result.error);
            report.done('Room mute', `the whole room is muted (${roomMuteFor})`);
        } else {
            const result = await api.unmuteRoom();
            if (!result.ok) return report.fail('Room mute', result.error);
            report.done('Room mute', 'the room may speak again');
        }
    };
    return (
        <section class="card" data-testid="chat-modes-section">
            <h2>Slow mode and chat modes</h2>
            <p class="hint">Empty fields keep their value.</p>
            <form class="row" onSubmit={submit}>
                <label>
                    slow mode, s (0 off)
                    <input data-testid="slow-seconds" inputMode="numeric" value={slow} onInput={(e) => setSlow(inputValue(e))} />
                </label>
                <label>
                    followers-only, min (-1 off)
                    <input data-testid="followers-minutes" value={followers} onInput={(e) => setFollowers(inputValue(e))} />
                </label>
                <label>
                    minimum level (0 off)
                    <input data-testid="min-level" inputMode="numeric" value={minLevel} onInput={(e) => setMinLevel(inputValue(e))} />
                </label>
                <label>
                    guards only
                    <select data-testid="guards-only" value={guards} onChange={(e) => setGuards((e.target as HTMLSelectElement).value as 'keep' | 'on' | 'off')}>
                        <option value="keep">keep</option>
                        <option value="on">on</option>
                        <option value="off">off</option>
                    </select>
                </label>
                <button type="submit" data-testid="chat-modes-submit">
                    Save modes
                </button>
            </form>
            {now !== '' && <p data-testid="chat-modes-now">now: {now}</p>}
            <div class="row">
                <label>
                    mute the whole room for
                    <input data-testid="room-mute-duration" list="durations" value={roomMuteFor} onInput={(e) => setRoomMuteFor(inputValue(e))} />
                </label>
                <button type="button" data-testid="room-mute-on" onClick={() => void muteRoom(true)}>
                    Mute room
                </button>
                <button type="button" data-testid="room-mute-off" onClick={() => void muteRoom(false)}>
                    Unmute room
                </button>
            </div>
        </section>
    );
}

// The room's word list, one entry a line ("word", "mask: word", "regex: ^a+$").
export function WordList({ api, report }: { api: StreamerApi; report: Reporter }) {
    const [text, setText] = useState('');
    const load = async () => {
        const result = await api.words();
        if (!result.ok) return report.fail('Word list', result.error);
        setText(formatWordLines(result.data.entries));
    };
    useEffect(() => {
        void load();
    }, [api]);
    const save = async () => {
        const parsed = parseWordLines(text);
        if (!parsed.ok) return report.fail('Word list', parsed.error);
        const result = await api.setWords(parsed.value);
        if (!result.ok) return report.fail('Word list', result.error);
        report.done('Word list', `${result.data.entries} entries in force`);
    };
    return (
        <section class="card" data-testid="words-section">
            <h2>Word list</h2>
            <p class="hint">One a line: a word blocks the message; "mask: word" masks it; "regex: …" or "mask regex: …" for a pattern.</p>
            <textarea data-testid="words" rows={6} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
            <div class="row">
                <button type="button" data-testid="words-save" onClick={() => void save()}>
                    Save list
                </button>
                <button type="button" class="link" onClick={() => void load()}>
                    Reload
                </button>
            </div>
        </section>
    );
}
