// The open platform's review queues: apps (GET /api/v1/open/review) and interactive gifts
// (GET /api/v1/open/gift-review) waiting, oldest first, each approved or rejected with a reason
// (POST .../review). Every name and description is rendered as text.
import { useEffect, useState } from 'preact/hooks';

import type { ApiClient, ApiError } from '../../live';

interface App {
    app_id: number;
    developer: number;
    name: string;
    description: string;
    submitted_ms: number;
}
interface Gift {
    gift_id: number;
    app_id: number;
    name: string;
    price: number;
    animated: boolean;
    icon_url: string;
    submitted_ms: number;
}

interface Item {
    key: string; // data-testid suffix: app-<id> or gift-<id>
    title: string;
    detail: string;
    submittedMs: number;
    reviewPath: string;
}

const describe = (error: ApiError) => (error.kind === 'api' ? `${error.code} ${error.message}` : error.message);
const kRefreshMs = 15_000;

export function ReviewPanel({ api }: { api: ApiClient }) {
    const [items, setItems] = useState<Item[] | undefined>(undefined);
    const [more, setMore] = useState(false);
    const [problem, setProblem] = useState('');
    const [reasons, setReasons] = useState<Record<string, string>>({});

    const load = async () => {
        const [apps, gifts] = await Promise.all([
            api.call<{ apps: App[]; more: boolean }>('GET', '/api/v1/open/review'),
            api.call<{ gifts: Gift[]; more: boolean }>('GET', '/api/v1/open/gift-review'),
        ]);
        if (!apps.ok || !gifts.ok) {
            setProblem(describe(!apps.ok ? apps.error : (gifts as { ok: false; error: ApiError }).error));
            return;
        }
        setProblem('');
        setMore(apps.data.more || gifts.data.more);
        setItems([
            ...apps.data.apps.map((app) => ({
                key: `app-${app.app_id}`,
                title: `App ${app.app_id}: ${app.name}`,
                detail: `developer ${app.developer}${app.description === '' ? '' : ` · ${app.description}`}`,
                submittedMs: app.submitted_ms,
                reviewPath: `/api/v1/open/apps/${app.app_id}/review`,
            })),
            ...gifts.data.gifts.map((gift) => ({
                key: `gift-${gift.gift_id}`,
                title: `Gift ${gift.gift_id}: ${gift.name}`,
                detail: `app ${gift.app_id} · ${gift.price} coins${gift.animated ? ' · animated' : ''}`,
                submittedMs: gift.submitted_ms,
                reviewPath: `/api/v1/open/apps/${gift.app_id}/gifts/${gift.gift_id}/review`,
            })),
        ]);
    };

    useEffect(() => {
        void load();
        const timer = window.setInterval(() => void load(), kRefreshMs);
        return () => window.clearInterval(timer);
    }, [api]);

    const decide = async (item: Item, decision: 'approve' | 'reject') => {
        const reason = (reasons[item.key] ?? '').trim();
        if (decision === 'reject' && reason === '') {
            setProblem(`say why ${item.title} is rejected`);
            return;
        }
        const answer = await api.call('POST', item.reviewPath, decision === 'approve' ? { decision } : { decision, reason });
        if (!answer.ok) {
            setProblem(`${item.title}: ${describe(answer.error)}`);
            return;
        }
        await load();
    };

    return (
        <section class="panel review" data-testid="review-queue">
            <h2>Waiting for review</h2>
            {items === undefined && problem === '' && <p>Loading…</p>}
            {items !== undefined && items.length === 0 && <p data-testid="review-empty">No app or gift is waiting.</p>}
            <ul>
                {(items ?? []).map((item) => (
                    <li key={item.key} data-testid={`review-${item.key}`}>
                        <div class="title">{item.title}</div>
                        <div class="detail">{item.detail}</div>
                        <div class="detail">submitted {new Date(item.submittedMs).toLocaleString()}</div>
                        <div class="actions">
                            <button type="button" data-testid={`review-approve-${item.key}`} onClick={() => void decide(item, 'approve')}>
                                Approve
                            </button>
                            <input
                                data-testid={`review-reason-${item.key}`}
                                placeholder="reason to reject"
                                maxLength={500}
                                value={reasons[item.key] ?? ''}
                                onInput={(event) => setReasons({ ...reasons, [item.key]: (event.target as HTMLInputElement).value })}
                            />
                            <button type="button" data-testid={`review-reject-${item.key}`} onClick={() => void decide(item, 'reject')}>
                                Reject
                            </button>
                        </div>
                    </li>
                ))}
            </ul>
            {more && <p>More are waiting; they appear as these are decided.</p>}
            {problem !== '' && (
                <p class="problem" data-testid="review-problem">
                    {problem}
                </p>
            )}
        </section>
    );
}
