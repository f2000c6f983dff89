// The debug tool: one event (danmaku, gift, super chat, guard or likes) from a made-up viewer,
// injected into one of the app's test rooms (POST /api/v1/open/apps/{app}/debug/{room}); the
// server's answer, or its refusal, is shown in data-testid="debug-result".
import { useState } from 'preact/hooks';

import { debugRequest, describeError, kDebugKinds, kEmptyDebugForm, type App, type DebugForm, type DebugKind } from '../../developer/developer_api';
import type { ConsoleContext } from './developer_console';

const kKindText: Record<DebugKind, string> = {
    danmaku: 'danmaku',
    gift: 'gift',
    super_chat: 'super chat',
    guard: 'guard',
    like: 'likes',
};

export function DebugTool({ app, context }: { app: App; context: ConsoleContext }) {
    const [form, setForm] = useState<DebugForm>({ ...kEmptyDebugForm, room: app.whitelist[0] === undefined ? '' : String(app.whitelist[0]) });
    const [result, setResult] = useState('');
    const [sending, setSending] = useState(false);
    const set = (change: Partial<DebugForm>) => setForm((current) => ({ ...current, ...change }));
    const text = (field: keyof DebugForm) => (event: Event) => set({ [field]: (event.target as HTMLInputElement).value });

    const send = async (event: Event) => {
        event.preventDefault();
        const request = debugRequest(form);
        if (!request.ok) {
            setResult(`not sent: ${request.problem}`);
            context.report(request.problem);
            return;
        }
        setSending(true);
        const answer = await context.developer.debug(app.app_id, request.value.room, request.value.body);
        setSending(false);
        if (answer.ok) {
            context.report('');
            setResult(`sent ${kKindText[form.kind]} to room ${request.value.room}: seq ${answer.data.seq}, test ${String(answer.data.test)}`);
        } else {
            const why = describeError(answer.error);
            setResult(`refused: ${why}`);
            context.report(`the debug event was refused: ${why}`);
        }
    };

    const hasText = form.kind === 'danmaku' || form.kind === 'super_chat';
    return (
        <section class="card">
            <h2>Debug tool</h2>
            <p class="hint">
                Injects one test event (marked <code>"test": true</code>, no coins involved) into one of your rooms or this app's test
                rooms; your running games receive it as any <code>LIVE_OPEN_PLATFORM_*</code> event.
            </p>
            <form class="stack" onSubmit={send}>
                <div class="row">
                    <label>
                        Event{' '}
                        <select
                            data-testid="debug-kind"
                            value={form.kind}
                            onChange={(event) => set({ kind: (event.target as HTMLSelectElement).value as DebugKind })}
                        >
                            {kDebugKinds.map((kind) => (
                                <option value={kind}>{kKindText[kind]}</option>
                            ))}
                        </select>
                    </label>
                    <label>
                        Room <input data-testid="debug-room" inputMode="numeric" class="short" value={form.room} onInput={text('room')} />
                    </label>
                </div>
                <input
                    data-testid="debug-text"
                    placeholder={hasText ? 'text' : 'text (danmaku and super chat only)'}
                    disabled={!hasText}
                    maxLength={500}
                    value={form.text}
                    onInput={text('text')}
                />
                {form.kind === 'gift' && (
                    <div class="row">
                        <label>
                            Gift id <input data-testid="debug-gift-id" inputMode="numeric" class="short" value={form.giftId} onInput={text('giftId')} />
                        </label>
                        <label>
                            Name <input data-testid="debug-gift-name" class="short" value={form.giftName} onInput={text('giftName')} />
                        </label>
                        <label>
                            Count <input data-testid="debug-count" inputMode="numeric" class="short" value={form.count} onInput={text('count')} />
                        </label>
                        <label>
                            Price (coins) <input data-testid="debug-price" inputMode="numeric" class="short" value={form.price} onInput={text('price')} />
                        </label>
                        <label>
                            <input
                                type="checkbox"
                                data-testid="debug-interactive"
                                checked={form.interactive}
                                onChange={(event) => set({ interactive: (event.target as HTMLInputElement).checked })}
                            />{' '}
                            interactive (this app's own)
                        </label>
                    </div>
                )}
                {form.kind === 'super_chat' && (
                    <label>
                        Price (yuan) <input data-testid="debug-price" inputMode="numeric" class="short" value={form.price} onInput={text('price')} />
                    </label>
                )}
                {form.kind === 'guard' && (
                    <div class="row">
                        <label>
                            Level{' '}
                            <select data-testid="debug-level" value={form.level} onChange={(event) => set({ level: (event.target as HTMLSelectElement).value })}>
                                <option value="1">1 (总督)</option>
                                <option value="2">2 (提督)</option>
                                <option value="3">3 (舰长)</option>
                            </select>
                        </label>
                        <label>
                            Months <input data-testid="debug-count" inputMode="numeric" class="short" value={form.count} onInput={text('count')} />
                        </label>
                    </div>
                )}
                {form.kind === 'like' && (
                    <label>
                        Taps (1..1000) <input data-testid="debug-count" inputMode="numeric" class="short" value={form.count} onInput={text('count')} />
                    </label>
                )}
                <input data-testid="debug-uname" placeholder='viewer name (default "debug-viewer")' maxLength={64} value={form.uname} onInput={text('uname')} />
                <button type="submit" data-testid="debug-send" disabled={sending}>
                    Send test event
                </button>
            </form>
            <p class="result" data-testid="debug-result" aria-live="polite">
                {result}
            </p>
        </section>
    );
}
