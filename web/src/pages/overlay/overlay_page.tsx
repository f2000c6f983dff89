// The OBS overlay (/overlay/{room}): a transparent page for a browser source, with no chrome and
// nothing to click. It reads the room anonymously over /sub (native dialect, protover 2: zlib
// inflated by DecompressionStream) and draws four layers, each switchable by the URL
// (overlay_options.ts): danmaku flying (DanmakuStage), gift banners and effects (the seed-003
// Presenter), super chats pinned by tier for their paid time (SuperChatBoard) and guard toasts
// (ToastQueue). Every name and message is rendered as text.
//
// Memory: nothing here grows with time. The stage removes each danmaku when its animation ends;
// the presenter shows one banner per lane and one effect, and bounds what waits (200 hits per
// lane); the board keeps at most 50 super chats and drops each when it ends; the toast queue
// shows 3 and keeps 20 waiting; the price book remembers 256 gifts; the connection bounds its
// seen seqs, sends and queue (docs/web.md, "The live client").
import { withBannerChange, type LaneBanners } from '../../presenter/lane_banners';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

import { DanmakuStage } from '../../danmaku/stage';
import { LiveConnection, type LiveState } from '../../live/index';
import { Presenter } from '../../presenter/presenter';
import { systemClock } from '../../presenter/clock';
import type { AnimationView, BannerView } from '../../presenter/views';
import { bannerText, coinsText, guardText, overlayEvent, type GuardToast } from '../../overlay/overlay_events';
import type { OverlayOptions } from '../../overlay/overlay_options';
import { apngPlayMs } from '../../overlay/apng_timing';
import { PriceBook } from '../../overlay/price_book';
import { ToastQueue, type Toast } from '../../overlay/toast_queue';
import { SuperChatBoard, tierColour } from '../../room/super_chat_board';

// A gift effect is an animated PNG that plays once, and no browser reports when an <img> has
// shown an APNG's last frame. So the overlay fetches the effect itself (same origin; the browser
// cache serves repeats), reads its play time from its frames (apng_timing.ts: the demo's run
// 24 frames of 60 ms, 1.44 s), shows it from a blob: URL made for this one animation (so a
// second balloon plays from its first frame rather than sharing the first one's finished
// image) and reports the end that long after the image's load. An effect that is not an APNG
// gets kEffectPlayMs; one that cannot be fetched or decoded ends at once; one whose load never
// comes is ended by the presenter's own time-out (15 s). The blob: URL is revoked at the end.
const kEffectPlayMs = 3_000;
// Super chats shown at once (the board keeps more; the highest tiers show).
const kSuperChatsShownMax = 5;

export function OverlayPage({ room, options }: { room: number; options: OverlayOptions }) {
    const layers = options.layers;
    const stageHost = useRef<HTMLDivElement>(null);
    const board = useRef(new SuperChatBoard());
    const prices = useRef(new PriceBook());
    const effectTimer = useRef<number | undefined>(undefined);
    const [, redraw] = useState(0);
    const [state, setState] = useState<LiveState>('connecting');
    const [banners, setBanners] = useState<LaneBanners>({});
    const [animation, setAnimation] = useState<AnimationView | undefined>(undefined);
    // The effect on screen: its blob: URL and play time, once fetched.
    const [effect, setEffect] = useState<{ id: number; src: string; playMs: number } | undefined>(undefined);
    const effectUrl = useRef<string | undefined>(undefined);
    const [toasts, setToasts] = useState<readonly Toast<GuardToast>[]>([]);

    const presenter = useMemo(
        () =>
            new Presenter(
                systemClock(),
                {},
                {
                    onBanner: ({ kind, banner }) =>
                        setBanners((shown) => withBannerChange(shown, { kind, banner })),
                    onAnimation: ({ kind, animation: view }) => {
                        window.clearTimeout(effectTimer.current);
                        effectTimer.current = undefined;
                        releaseEffect();
                        setAnimation(kind === 'start' ? view : undefined);
                        if (kind === 'start') {
                            void loadEffect(view);
                        }
                    },
                },
            ),
        [],
    );
    const guards = useMemo(() => new ToastQueue<GuardToast>(systemClock(), {}, setToasts), []);

    useEffect(() => {
        document.documentElement.style.setProperty('--overlay-scale', String(options.fontScale));
        const stage =
            layers.has('danmaku') && stageHost.current !== null
                ? new DanmakuStage(stageHost.current, { fontScale: options.fontScale, speed: options.speed, maxLines: options.maxLines })
                : undefined;

        // Super chats leave when their paid time ends: redraw then rather than poll.
        let pinTimer: number | undefined;
        const repin = () => {
            window.clearTimeout(pinTimer);
            redraw((n) => n + 1);
            const next = board.current.nextEndMs();
            if (next !== undefined) {
                pinTimer = window.setTimeout(repin, Math.max(50, next - Date.now() + 20));
            }
        };

        const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
        const connection = new LiveConnection(
            { url: `${scheme}://${window.location.host}/sub`, roomId: room, dialect: 'native', protover: 2 },
            WebSocket,
            systemClock(),
            {
                onState: setState,
                onMessage: (message) => {
                    const event = overlayEvent(message, layers);
                    switch (event?.layer) {
                        case 'danmaku':
                            stage?.show(event.danmaku);
                            break;
                        case 'gifts':
                            prices.current.set(event.gift.giftId, event.priceCoins);
                            presenter.push(event.gift);
                            break;
                        case 'superchats':
                            if (event.kind === 'add') {
                                board.current.add(event.chat, Date.now());
                            } else {
                                board.current.remove(event.ids);
                            }
                            repin();
                            break;
                        case 'guards':
                            guards.push(event.toast);
                            break;
                    }
                },
            },
        );
        connection.start();
        return () => {
            connection.stop();
            window.clearTimeout(pinTimer);
            window.clearTimeout(effectTimer.current);
            releaseEffect();
            presenter.dispose();
            guards.dispose();
            stage?.dispose();
        };
    }, []);

    function releaseEffect() {
        if (effectUrl.current !== undefined) {
            URL.revokeObjectURL(effectUrl.current);
            effectUrl.current = undefined;
        }
        setEffect(undefined);
    }

    async function loadEffect(view: AnimationView) {
        let bytes: Uint8Array | undefined;
        try {
            const answer = await fetch(view.effectUrl);
            bytes = answer.ok ? new Uint8Array(await answer.arrayBuffer()) : undefined;
        } catch {
            bytes = undefined;
        }
        if (presenter.snapshot().b.animation?.id !== view.id) {
            return; // ended (time-out or page gone) while fetching
        }
        if (bytes === undefined) {
            presenter.animationEnded(view.id);
            return;
        }
        releaseEffect();
        const src = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/png' }));
        effectUrl.current = src;
        setEffect({ id: view.id, src, playMs: apngPlayMs(bytes) ?? kEffectPlayMs });
    }

    const effectLoaded = (id: number, playMs: number) => {
        window.clearTimeout(effectTimer.current);
        effectTimer.current = window.setTimeout(() => presenter.animationEnded(id), playMs);
    };

    const price = (banner: BannerView) => {
        const coins = options.showPrices ? prices.current.total(banner.giftId, banner.count) : undefined;
        return coins === undefined ? null : <span class="price"> · {coinsText(coins)}</span>;
    };

    const pinned = layers.has('superchats') ? board.current.visible(Date.now()).slice(0, kSuperChatsShownMax) : [];
    return (
        <div class="overlay" data-testid="overlay" data-state={state}>
            {layers.has('danmaku') && <div class="overlay-danmaku" ref={stageHost} data-testid="overlay-danmaku" />}
            {layers.has('superchats') && (
                <div class="overlay-super-chats">
                    {pinned.map((chat) => (
                        <div
                            key={chat.id}
                            class="overlay-super-chat"
                            data-testid="super-chat"
                            ref={(element) => {
                                if (element !== null) {
                                    element.style.backgroundColor = tierColour(chat.priceYuan);
                                }
                            }}
                        >
                            <div class="head">
                                <span class="name">{chat.name}</span>
                                {options.showPrices && <span class="price">¥{chat.priceYuan}</span>}
                            </div>
                            <div class="text">{chat.text}</div>
                        </div>
                    ))}
                </div>
            )}
            {layers.has('gifts') && (
                <div class="overlay-gifts">
                    {(['a', 'b'] as const).map((lane) => {
                        const banner = banners[lane];
                        return (
                            <div class={`overlay-lane lane-${lane}`} key={lane}>
                                {lane === 'b' && animation !== undefined && effect?.id === animation.id && (
                                    <img
                                        key={effect.id}
                                        class="overlay-effect"
                                        data-testid="gift-effect"
                                        data-effect-url={animation.effectUrl}
                                        src={effect.src}
                                        alt=""
                                        onLoad={() => effectLoaded(effect.id, effect.playMs)}
                                        onError={() => presenter.animationEnded(effect.id)}
                                    />
                                )}
                                {banner !== undefined && (
                                    <div
                                        key={banner.id}
                                        class={banner.comboHits > 1 ? 'overlay-banner combo' : 'overlay-banner'}
                                        data-testid="gift-banner"
                                        data-lane={lane}
                                    >
                                        {banner.iconUrl !== '' && <img class="icon" src={banner.iconUrl} alt="" />}
                                        <span class="line">{bannerText(banner)}</span>
                                        {price(banner)}
                                    </div>
                                )}
                            </div>
                        );
                    })}
                </div>
            )}
            {layers.has('guards') && (
                <div class="overlay-guards">
                    {toasts.map(({ id, item }) => (
                        <div key={id} class={`overlay-guard-toast level-${item.level}`} data-testid="guard-toast">
                            <span class="line">{guardText(item)}</span>
                            {options.showPrices && item.priceCoins > 0 && (
                                <span class="price"> · {coinsText(item.priceCoins * item.months)}</span>
                            )}
                        </div>
                    ))}
                </div>
            )}
        </div>
    );
}
