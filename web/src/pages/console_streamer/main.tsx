// /console/streamer: the signed-in host's room (?room=N, default 1): identity code, live status,
// managers, mutes and bans, chat modes, word list, bot rules, running games and earnings.
// Every section talks to the HTTP API through StreamerApi; every failure is shown, with its code
// and message, in the one error bar (data-testid="console-error"); everything is text.
import { GameFeedback } from './feedback';
import '../page.css';
import './console_streamer.css';

import { useEffect, useMemo, useState } from 'preact/hooks';

import { ApiClient, type RoomInfo } from '../../live/api_client';
import { StreamerApi } from '../../console/streamer_api';
import { parseUid } from '../../console/validate';
import { Login, pageSession } from '../login';
import { mount, Page } from '../shell';
import { ChatModesForm, DurationChoices, Managers, Restrictions, WordList } from './moderation';
import { reportLine, type Reporter } from './report';
import { Bots, EarningsView, Games, IdentityCode, LiveStatus } from './room_settings';

function roomOfUrl(): number {
    const parsed = parseUid(new URLSearchParams(window.location.search).get('room') ?? '1');
    return parsed.ok ? parsed.value : 1;
}

function RoomPicker({ room, uid }: { room: number; uid: number }) {
    const [rooms, setRooms] = useState<RoomInfo[]>([]);
    useEffect(() => {
        void new ApiClient({ baseUrl: '' }, fetch.bind(globalThis)).call<RoomInfo[]>('GET', '/api/v1/rooms').then((result) => {
            if (result.ok) setRooms(result.data.filter((info) => info.host === uid || info.managers.includes(uid)));
        });
    }, [uid]);
    const choices = rooms.some((info) => info.id === room) ? rooms : [...rooms, { id: room, title: '' } as RoomInfo];
    return (
        <label class="room-picker">
            room
            <select
                data-testid="room-picker"
                value={String(room)}
                onChange={(event) => {
                    const url = new URL(window.location.href);
                    url.searchParams.set('room', (event.target as HTMLSelectElement).value);
                    window.location.assign(url.toString());
                }}
            >
                {choices.map((info) => (
                    <option value={String(info.id)}>
                        {info.id}
                        {info.title !== '' ? ` · ${info.title}` : ''}
                    </option>
                ))}
            </select>
        </label>
    );
}

function Console() {
    const session = pageSession();
    const user = session.user(Date.now());
    const room = roomOfUrl();
    const api = useMemo(() => new StreamerApi(new ApiClient({ baseUrl: '', ...(session.token() === undefined ? {} : { token: session.token()! }) }, fetch.bind(globalThis)), room), [room]);
    const [error, setError] = useState('');
    const [notice, setNotice] = useState('');
    const [info, setInfo] = useState<RoomInfo | undefined>(undefined);

    const report: Reporter = useMemo(
        () => ({
            fail: (section, problem) => {
                setNotice('');
                setError(reportLine(section, problem));
            },
            done: (section, text) => {
                setError('');
                setNotice(`${section}: ${text}`);
            },
        }),
        [],
    );
    const loadRoom = async () => {
        const result = await api.roomInfo();
        if (result.ok) setInfo(result.data);
        else report.fail('Room', result.error);
    };
    useEffect(() => {
        if (user !== undefined) void loadRoom();
    }, [api]);

    if (user === undefined) {
        return <p class="hint">Sign in as the room's host (the demo's room 1 belongs to uid 1) to manage it.</p>;
    }
    return (
        <>
            <div class="console-head">
                <RoomPicker room={room} uid={user.uid} />
                {info !== undefined && info.host !== user.uid && user.role !== 'admin' && (
                    <p class="hint">You are not this room's host: only what a manager may do will work.</p>
                )}
            </div>
            <div class="messages" aria-live="polite">
                {error !== '' && (
                    <p class="console-error" data-testid="console-error" role="alert">
                        {error}
                    </p>
                )}
                {notice !== '' && (
                    <p class="console-notice" data-testid="console-notice">
                        {notice}
                    </p>
                )}
            </div>
            <DurationChoices />
            <div class="sections">
                <LiveStatus api={api} room={info} report={report} changed={() => void loadRoom()} />
                <IdentityCode api={api} report={report} />
                <Restrictions api={api} kind="mutes" report={report} />
                <Restrictions api={api} kind="bans" report={report} />
                <Managers api={api} managers={info?.managers ?? []} report={report} changed={() => void loadRoom()} />
                <ChatModesForm api={api} report={report} />
                <WordList api={api} report={report} />
                <Bots api={api} report={report} />
                <Games api={api} />
                <GameFeedback api={api} report={report} />
                <EarningsView api={api} report={report} />
            </div>
        </>
    );
}

mount(
    <Page title="Streamer console">
        <Login session={pageSession()} />
        <Console />
    </Page>,
);
