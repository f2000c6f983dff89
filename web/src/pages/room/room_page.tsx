// The viewer room page (/room/{id}): a player area with danmaku flying over it, the chat, likes,
// gifts paid from the wallet, super chats pinned by tier, guard purchase, the gift leaderboard
// and moderation notices. It reads the room over /sub (native dialect, zlib, resumed with
// last_seq after a drop without showing anything twice) and acts through the HTTP API with the
// signed-in user's token. Every name and message is rendered as text.
import { withBannerChange, type LaneBanners } from '../../presenter/lane_banners';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { DanmakuStage } from '../../danmaku/stage';
import {
    ApiClient,
    isRetryable,
    LikeBatcher,
    likesFlush,
    LiveConnection,
    PaidAction,
    type ApiError,
    type ApiResult,
    type Gift,
    type Leaderboard,
} from '../../live/index';
import { Presenter } from '../../presenter/presenter';
import { systemClock } from '../../presenter/clock';
import { giftEventFromNative } from '../../presenter/server_messages';
import { ChatLog, type ChatLine } from '../../room/chat_log';
import { guardName, roomEvent } from '../../room/room_events';
import { SuperChatBoard, tierColour } from '../../room/super_chat_board';
import { Login, pageSession } from '../login';

const PAID_ATTEMPTS_MAX = 3;

function describe(error: ApiError): string {
    return error.kind === 'api' ? `${error.message} (${error.code})` : error.message;
}

// A paid call, tried again with the same request_id after a network error or a busy ledger, so
// a retry can never charge twice (the server answers a repeated id with the first result).
async function paid<T>(attempt: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    let result = await attempt();
    for (let tries = 1; !result.ok && isRetryable(result.error) && tries < PAID_ATTEMPTS_MAX; ++tries) {
        await new Promise((resolve) => setTimeout(resolve, 500 * tries));
        result = await attempt();
    }
    return result;
}

export function RoomPage({ room }: { room: number }) {
    const session = useMemo(() => pageSession(), []);
    const user = session.user(Date.now());
    const token = session.token();
    const api = useMemo(
        () => new ApiClient(token === undefined ? { baseUrl: '' } : { baseUrl: '', token }, window.fetch.bind(window)),
        [],
    );
    const chat = useRef(new ChatLog(200));
    const board = useRef(new SuperChatBoard());
    const player = useRef<HTMLDivElement>(null);
    const stage = useRef<DanmakuStage | undefined>(undefined);
    const [, redraw] = useState(0);
    const [online, setOnline] = useState(0);
    const [likes, setLikes] = useState(0);
    const [title, setTitle] = useState('');
    const [live, setLive] = useState(false);
    const [state, setState] = useState('connecting');
    const [notice, setNotice] = useState('');
    const [banners, setBanners] = useState<LaneBanners>({});
    const [gifts, setGifts] = useState<Gift[]>([]);
    const [balance, setBalance] = useState<number | undefined>(undefined);
    const [board10, setBoard10] = useState<Leaderboard | undefined>(undefined);
    const [draft, setDraft] = useState('');
    const [scDraft, setScDraft] = useState('');
    const [scPrice, setScPrice] = useState(30);

    const addLine = (line: ChatLine) => {
        if (chat.current.add(line)) {
            redraw((n) => n + 1);
        }
    };

    const presenter = useMemo(
        () =>
            new Presenter(
                systemClock(),
                {},
                {
                    onBanner: ({ kind, banner }) =>
                        setBanners((shown) => withBannerChange(shown, { kind, banner })),
                    // The room page shows banners only; the overlay plays effects.
                    onAnimation: ({ kind, animation }) => {
                        if (kind === 'start') {
                            queueMicrotask(() => presenter.animationEnded(animation.id));
                        }
                    },
                },
            ),
        [],
    );

    useEffect(() => {
        if (player.current !== null) {
            stage.current = new DanmakuStage(player.current, { maxLines: 10 });
        }
        void api.room(room).then((info) => {
            if (info.ok) {
                setTitle(info.data.title);
                setLive(info.data.live);
                setLikes(info.data.like_count);
                setOnline(info.data.online);
            }
        });
        void api.gifts().then((list) => list.ok && setGifts(list.data.filter((gift) => !gift.app_id)));
        if (user !== undefined) {
            void api.walletBalance().then((coins) => coins.ok && setBalance(coins.data));
        }
        const refreshBoard = () => void api.leaderboard(room, { limit: 10 }).then((top) => top.ok && setBoard10(top.data));
        refreshBoard();
        const boardTimer = window.setInterval(refreshBoard, 30_000);

        const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
        const connection = new LiveConnection(
            {
                url: `${scheme}://${window.location.host}/sub`,
                roomId: room,
                ...(token === undefined ? {} : { token }),
                dialect: 'native',
                protover: 2,
            },
            WebSocket,
            systemClock(),
            {
                onState: (now) => setState(now),
                onOnline: (count) => setOnline(count),
                onError: (error) => {
                    if (error.kind === 'auth_refused' && !error.retrying) {
                        setNotice(`cannot join: ${error.message} (${error.error || error.code})`);
                    }
                },
                onGap: () => addLine({ seq: 0, kind: 'notice', uid: 0, name: '', text: 'some messages were missed while away' }),
                onMessage: (message) => {
                    const event = roomEvent(message);
                    if (event === undefined) {
                        return;
                    }
                    const own = user !== undefined && 'user' in event && event.user.uid === user.uid;
                    switch (event.kind) {
                        case 'danmaku':
                            if (chat.current.add({ seq: event.seq, kind: 'danmaku', uid: event.user.uid, name: event.user.name, text: event.text, own })) {
                                stage.current?.show({ text: event.text, wireMode: event.mode, color: event.color, fontSize: event.fontSize, own });
                                redraw((n) => n + 1);
                            }
                            break;
                        case 'gift': {
                            const gift = giftEventFromNative(message);
                            if (gift !== undefined) {
                                presenter.push(gift);
                            }
                            addLine({ seq: event.seq, kind: 'gift', uid: event.user.uid, name: event.user.name, text: `sent ${event.giftName} x${event.count}` });
                            break;
                        }
                        case 'super_chat':
                            board.current.add(event.chat, Date.now());
                            addLine({ seq: event.seq, kind: 'super_chat', uid: event.chat.uid, name: event.chat.name, text: `¥${event.chat.priceYuan}: ${event.chat.text}` });
                            break;
                        case 'super_chat_delete':
                            board.current.remove(event.ids);
                            redraw((n) => n + 1);
                            break;
                        case 'guard':
                            addLine({ seq: event.seq, kind: 'guard', uid: event.user.uid, name: event.user.name, text: `became ${guardName(event.level)} for ${event.months} month(s)` });
                            break;
                        case 'moderation':
                            addLine({ seq: event.seq, kind: 'moderation', uid: 0, name: '', text: event.text });
                            if (user !== undefined && event.target.uid === user.uid) {
                                setNotice(event.text);
                            }
                            break;
                        case 'system':
                            addLine({ seq: event.seq, kind: 'notice', uid: 0, name: '', text: event.text });
                            break;
                        case 'likes':
                            setLikes(event.total);
                            break;
                        case 'live':
                            setLive(event.live);
                            setTitle(event.title);
                            break;
                        case 'online':
                            setOnline(event.count);
                            break;
                    }
                },
            },
        );
        connection.start();
        // Super chats leave the board when their paid time ends.
        const pinTimer = window.setInterval(() => redraw((n) => n + 1), 1000);
        return () => {
            connection.stop();
            window.clearInterval(boardTimer);
            window.clearInterval(pinTimer);
            stage.current?.dispose();
        };
    }, []);

    const likeBatcher = useMemo(
        () => new LikeBatcher(systemClock(), {}, likesFlush(api, room, (answer) => setLikes(answer.click_count))),
        [],
    );

    const send = async () => {
        const text = draft.trim();
        if (text === '') {
            return;
        }
        const sent = await api.sendDanmaku(room, { msg: text });
        if (sent.ok) {
            setDraft('');
            setNotice('');
        } else {
            setNotice(`not sent: ${describe(sent.error)}`);
        }
    };

    const sendGift = async (gift: Gift) => {
        const action = PaidAction.create({ gift_id: gift.id, count: 1 });
        const result = await paid(() => api.sendGift(room, action));
        if (result.ok) {
            setBalance(result.data.balance);
        } else {
            setNotice(`gift not sent: ${describe(result.error)}`);
        }
    };

    const sendSuperChat = async () => {
        const action = PaidAction.create({ price_yuan: scPrice, message: scDraft.trim() });
        const result = await paid(() => api.sendSuperChat(room, action));
        if (result.ok) {
            setBalance(result.data.balance);
            setScDraft('');
        } else {
            setNotice(`super chat not sent: ${describe(result.error)}`);
        }
    };

    const buyGuard = async () => {
        const action = PaidAction.create({ level: 3 as const, months: 1 });
        const result = await paid(() => api.buyGuard(room, action));
        if (result.ok) {
            setBalance(result.data.balance);
        } else {
            setNotice(`guard not bought: ${describe(result.error)}`);
        }
    };

    const pinned = board.current.visible(Date.now());
    return (
        <main class="room">
            <header class="room-header">
                <h1 data-testid="room-title">{title || `Room ${room}`}</h1>
                <span class={live ? 'live on' : 'live'}>{live ? 'LIVE' : 'offline'}</span>
                <span data-testid="online">{online} online</span>
                <span data-testid="connection" class="connection">
                    {state}
                </span>
                <Login session={session} />
            </header>
            <section class="stage-column">
                <div class="player" ref={player} data-testid="player" />
                <div class="banners">
                    {Object.values(banners).map((banner) => (
                        <div class={`banner lane-${banner.lane}`} data-testid="gift-banner">
                            {banner.userName} sent {banner.giftName} x{banner.count}
                        </div>
                    ))}
                </div>
                <div class="actions">
                    <button type="button" data-testid="like-button" onClick={() => likeBatcher.tap()} disabled={user === undefined}>
                        ♥ Like
                    </button>
                    <span data-testid="likes">{likes} likes</span>
                </div>
                {user !== undefined && (
                    <div class="gift-panel" data-testid="gift-panel">
                        <span data-testid="balance">{balance ?? '…'} coins</span>
                        {gifts.map((gift) => (
                            <button type="button" class="gift" onClick={() => void sendGift(gift)} title={`${gift.price} coins`}>
                                <img src={gift.icon_url} alt="" width={32} height={32} />
                                <span>{gift.name}</span>
                                <span class="price">{gift.price}</span>
                            </button>
                        ))}
                        <button type="button" data-testid="guard-button" onClick={() => void buyGuard()}>
                            舰长 · 1 month
                        </button>
                    </div>
                )}
            </section>
            <aside class="side">
                <div class="super-chats">
                    {pinned.map((sc) => (
                        <div class="super-chat" data-testid="super-chat" ref={(el) => {
                                if (el !== null) {
                                    el.style.borderColor = tierColour(sc.priceYuan);
                                }
                            }}>
                            <strong>
                                {sc.name} · ¥{sc.priceYuan}
                            </strong>
                            <p>{sc.text}</p>
                        </div>
                    ))}
                </div>
                <ul class="chat" data-testid="chat">
                    {chat.current.all().map((line) => (
                        <li class={`line kind-${line.kind}${line.own ? ' own' : ''}`}>
                            {line.name !== '' && <span class="name">{line.name}: </span>}
                            <span class="text">{line.text}</span>
                        </li>
                    ))}
                </ul>
                {notice !== '' && (
                    <p class="notice" data-testid="notice">
                        {notice}
                    </p>
                )}
                {user !== undefined ? (
                    <form
                        class="send"
                        onSubmit={(event) => {
                            event.preventDefault();
                            void send();
                        }}
                    >
                        <input
                            data-testid="send-input"
                            maxLength={100}
                            value={draft}
                            placeholder="Say something"
                            onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
                        />
                        <button type="submit" data-testid="send-button">
                            Send
                        </button>
                    </form>
                ) : (
                    <p class="hint">Sign in to chat, like and send gifts.</p>
                )}
                {user !== undefined && (
                    <form
                        class="send super"
                        onSubmit={(event) => {
                            event.preventDefault();
                            void sendSuperChat();
                        }}
                    >
                        <select
                            aria-label="Super chat price"
                            value={String(scPrice)}
                            onChange={(event) => setScPrice(Number((event.target as HTMLSelectElement).value))}
                        >
                            {[30, 50, 100, 500, 1000, 2000].map((yuan) => (
                                <option value={String(yuan)}>¥{yuan}</option>
                            ))}
                        </select>
                        <input
                            data-testid="super-chat-input"
                            maxLength={100}
                            value={scDraft}
                            placeholder="Super chat"
                            onInput={(event) => setScDraft((event.target as HTMLInputElement).value)}
                        />
                        <button type="submit">Pin it</button>
                    </form>
                )}
                <ol class="leaderboard" data-testid="leaderboard">
                    {(board10?.entries ?? []).map((entry) => (
                        <li>
                            uid {entry.uid}: {entry.coins} coins
                        </li>
                    ))}
                </ol>
            </aside>
        </main>
    );
}
