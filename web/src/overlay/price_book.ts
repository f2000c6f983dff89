// The price of each gift as its last push said (coins per gift), for the banner's price: the
// presenter's BannerView names the gift but carries no price. At most `capacity` gifts are
// remembered (the least recently seen goes first), so a catalogue that keeps changing cannot
// grow it. Owner thread only.
export class PriceBook {
    private readonly prices = new Map<number, number>();

    constructor(private readonly capacity = 256) {}

    set(giftId: number, coins: number): void {
        this.prices.delete(giftId); // re-inserted last: a Map keeps insertion order
        this.prices.set(giftId, coins);
        if (this.prices.size > this.capacity) {
            this.prices.delete(this.prices.keys().next().value!);
        }
    }

    // Coins for `count` of the gift, or undefined when its price is unknown.
    total(giftId: number, count: number): number | undefined {
        const coins = this.prices.get(giftId);
        return coins === undefined ? undefined : coins * count;
    }

    size(): number {
        return this.prices.size;
    }
}
