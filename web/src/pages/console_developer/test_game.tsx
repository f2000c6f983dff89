// A test game: the console starts a game of this app in one of its test rooms (POST
// .../test-game), joins the room as that game would (the auth_body over /sub, protover 2),
// keeps it alive, and lists the LIVE_OPEN_PLATFORM_* events it receives, so a developer sees
// what the debug tool's events look like to a game. Kept to the last 50 events; text only.
import { useEffect, useRef, useState } from 'preact/hooks';

import type { App } from '../../developer/developer_api';
import { decodeMessage, encodePacket, Operation, Version } from '../../live/packet';
import type { ConsoleContext } from './developer_console';

const kEventsMax = 50;
const kHeartbeatMs = 20_000;

interface Running {
    socket: WebSocket;
    timer: number;
}

export function TestGame({ app, context }: { app: App; context: ConsoleContext }) {
    const [room, setRoom] = useState(app.whitelist[0] === undefined ? '' : String(app.whitelist[0]));
    const [state, setState] = useState('not running');
    const [events, setEvents] = useState<readonly string[]>([]);
    const running = useRef<Running | undefined>(undefined);

    const stop = () => {
        if (running.current !== undefined) {
            window.clearInterval(running.current.timer);
            running.current.socket.close();
            running.current = undefined;
        }
        setState('not running');
    };
    useEffect(() => stop, []);

    const start = async () => {
        stop();
        const roomId = Number(room);
        if (!Number.isSafeInteger(roomId) || roomId <= 0) {
            context.report('a test game needs a room number');
            return;
        }
        const started = await context.developer.startTestGame(app.app_id, roomId);
        if (!started.ok) {
            context.failed('the test game', started.error);
            return;
        }
        context.report('');
        const gameId = started.data.game_info.game_id;
        const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
        const socket = new WebSocket(`${scheme}://${window.location.host}/sub`);
        socket.binaryType = 'arraybuffer';
        const body = new TextEncoder().encode(started.data.websocket_info.auth_body);
        socket.onopen = () => socket.send(encodePacket({ version: Version.control, operation: Operation.auth, sequence: 1, body }));
        socket.onclose = () => setState('closed');
        socket.onmessage = async (message) => {
            const decoded = await decodeMessage(new Uint8Array(message.data as ArrayBuffer));
            if (!decoded.ok) {
                return;
            }
            for (const packet of decoded.packets) {
                if (packet.operation === Operation.authReply) {
                    setState(`running: game ${gameId} in room ${roomId}`);
                } else if (packet.operation === Operation.message) {
                    const push = JSON.parse(new TextDecoder().decode(packet.body)) as { cmd?: string; data?: unknown };
                    const line = `${push.cmd ?? '?'} ${JSON.stringify(push.data ?? {})}`;
                    setEvents((shown) => [line, ...shown].slice(0, kEventsMax));
                }
            }
        };
        const timer = window.setInterval(() => {
            socket.send(encodePacket({ version: Version.control, operation: Operation.heartbeat, sequence: 1, body: new Uint8Array() }));
            void context.developer.testGameHeartbeat(app.app_id, gameId);
        }, kHeartbeatMs);
        running.current = { socket, timer };
        setState('joining');
    };

    return (
        <section class="card" data-testid="test-game">
            <h2>Test game</h2>
            <p class="hint">
                Starts a game of this app in one of its test rooms and shows what it receives: send events with the debug tool and
                watch them arrive here as <code>LIVE_OPEN_PLATFORM_*</code>.
            </p>
            <div class="row">
                <input
                    data-testid="test-game-room"
                    inputMode="numeric"
                    placeholder="room"
                    value={room}
                    onInput={(event) => setRoom((event.target as HTMLInputElement).value)}
                />
                <button type="button" data-testid="test-game-start" onClick={() => void start()}>
                    Start
                </button>
                <button type="button" onClick={stop}>
                    Stop
                </button>
            </div>
            <p data-testid="test-game-state">{state}</p>
            <ol class="events" data-testid="test-game-events">
                {events.map((line) => (
                    <li>{line}</li>
                ))}
            </ol>
        </section>
    );
}
