// An app's interactive gifts (list, create as a draft, submit for review) and the official asset
// library their art comes from (GET /api/v1/open/assets).
import { useEffect, useState } from 'preact/hooks';

import { kReviewStatusText, maySubmit, type App, type Asset, type InteractiveGift } from '../../developer/developer_api';
import type { ConsoleContext } from './developer_console';

function size(bytes: number): string {
    return bytes >= 1024 ? `${Math.round(bytes / 102.4) / 10} KiB` : `${bytes} B`;
}

export function GiftsPanel({ app, context }: { app: App; context: ConsoleContext }) {
    const { developer } = context;
    const [gifts, setGifts] = useState<InteractiveGift[]>([]);
    const [assets, setAssets] = useState<Asset[]>([]);
    const [name, setName] = useState('');
    const [price, setPrice] = useState('');
    const [assetId, setAssetId] = useState('');
    const [effectId, setEffectId] = useState('');
    const [comboable, setComboable] = useState(true);

    const load = async () => {
        const [giftAnswer, assetAnswer] = await Promise.all([developer.gifts(app.app_id), developer.assets()]);
        if (giftAnswer.ok) {
            setGifts(giftAnswer.data);
        } else {
            context.failed('could not list the interactive gifts', giftAnswer.error);
        }
        if (assetAnswer.ok) {
            setAssets(assetAnswer.data.assets);
            setAssetId((current) => (current === '' && assetAnswer.data.assets[0] !== undefined ? String(assetAnswer.data.assets[0].asset_id) : current));
        } else {
            context.failed('could not list the asset library', assetAnswer.error);
        }
    };
    useEffect(() => {
        void load();
    }, [app.app_id]);

    const create = async (event: Event) => {
        event.preventDefault();
        const coins = Number(price.trim());
        if (!/^[0-9]{1,10}$/.test(price.trim()) || coins < 1) {
            context.report('the price is a whole number of coins, 1 and up');
            return;
        }
        if (assetId === '') {
            context.report('pick an icon from the asset library');
            return;
        }
        const answer = await developer.createGift(app.app_id, {
            name: name.trim(),
            price: coins,
            asset_id: Number(assetId),
            comboable,
            ...(effectId === '' ? {} : { effect_asset_id: Number(effectId) }),
        });
        if (!answer.ok) {
            context.failed('could not create the gift', answer.error);
            return;
        }
        context.report('');
        setName('');
        setPrice('');
        setGifts((list) => [...list, answer.data]);
    };

    const submit = async (gift: InteractiveGift) => {
        const answer = await developer.submitGift(app.app_id, gift.gift_id);
        if (!answer.ok) {
            context.failed(`could not submit ${gift.name}`, answer.error);
            return;
        }
        context.report('');
        setGifts((list) => list.map((each) => (each.gift_id === gift.gift_id ? answer.data : each)));
    };

    return (
        <section class="card">
            <h2>Interactive gifts</h2>
            <p class="hint">Sold once an operator approves the gift (and the app); until then try them with the debug tool.</p>
            {gifts.length === 0 ? (
                <p class="hint">No interactive gifts.</p>
            ) : (
                <ul class="gifts">
                    {gifts.map((gift) => (
                        <li data-testid={`gift-${gift.gift_id}`}>
                            {gift.icon_url !== '' && <img src={gift.icon_url} alt="" width={32} height={32} />}
                            <span>
                                <strong>{gift.name}</strong> <span class="muted">#{gift.gift_id}</span> · {gift.price} coins
                                {gift.animated ? ' · animated' : ''}
                                {gift.comboable ? ' · combo' : ''} ·{' '}
                                <span class={`status status-${gift.status}`}>{kReviewStatusText[gift.status]}</span>
                                {gift.reject_reason !== '' && <span class="warning"> · rejected: {gift.reject_reason}</span>}
                            </span>
                            {maySubmit(gift.status) && (
                                <button type="button" data-testid={`gift-submit-${gift.gift_id}`} onClick={() => void submit(gift)}>
                                    Submit for review
                                </button>
                            )}
                        </li>
                    ))}
                </ul>
            )}
            <form class="stack" onSubmit={create}>
                <h3>New gift</h3>
                <input data-testid="gift-name" placeholder="name (one line)" maxLength={64} required value={name} onInput={(event) => setName((event.target as HTMLInputElement).value)} />
                <input data-testid="gift-price" placeholder="price in coins" inputMode="numeric" required value={price} onInput={(event) => setPrice((event.target as HTMLInputElement).value)} />
                <label>
                    Icon{' '}
                    <select data-testid="gift-asset" value={assetId} onChange={(event) => setAssetId((event.target as HTMLSelectElement).value)}>
                        {assets.length === 0 && <option value="">(the library is empty)</option>}
                        {assets.map((asset) => (
                            <option value={String(asset.asset_id)}>
                                #{asset.asset_id} {asset.name}
                            </option>
                        ))}
                    </select>
                </label>
                <label>
                    Effect{' '}
                    <select data-testid="gift-effect" value={effectId} onChange={(event) => setEffectId((event.target as HTMLSelectElement).value)}>
                        <option value="">none (a static gift)</option>
                        {assets.map((asset) => (
                            <option value={String(asset.asset_id)}>
                                #{asset.asset_id} {asset.name}
                            </option>
                        ))}
                    </select>
                </label>
                <label>
                    <input type="checkbox" checked={comboable} onChange={(event) => setComboable((event.target as HTMLInputElement).checked)} /> may combo
                </label>
                <button type="submit" data-testid="gift-create">
                    Create gift (draft)
                </button>
            </form>
            <h3>Asset library</h3>
            {assets.length === 0 ? (
                <p class="hint">The library is empty: operators upload art.</p>
            ) : (
                <ul class="assets" data-testid="assets">
                    {assets.map((asset) => (
                        <li data-testid={`asset-${asset.asset_id}`}>
                            <img src={asset.url} alt="" width={48} height={48} />
                            <span>
                                <strong>{asset.name}</strong> <span class="muted">#{asset.asset_id}</span>
                                <br />
                                <span class="muted">
                                    {asset.media_type} · {asset.width}×{asset.height} · {size(asset.bytes)}
                                </span>
                            </span>
                        </li>
                    ))}
                </ul>
            )}
        </section>
    );
}
