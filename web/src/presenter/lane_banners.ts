// What a page shows of the presenter's banners: at most one per lane. Shared by the room page
// and the overlay, which both redraw from this state.
import type { BannerChange, BannerView, Lane } from "./views.js";

export type LaneBanners = Readonly<Partial<Record<Lane, BannerView>>>;

// The banners after `change`: a shown or updated banner takes its lane, a hidden one leaves it.
export function withBannerChange(shown: LaneBanners, change: BannerChange): LaneBanners {
    const next: Partial<Record<Lane, BannerView>> = { ...shown };
    if (change.kind === "hide") {
        delete next[change.banner.lane];
    } else {
        next[change.banner.lane] = change.banner;
    }
    return next;
}
