// Gift prices for the banners: the last price pushed, bounded, least recently seen forgotten.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PriceBook } from "../../src/overlay/price_book.js";

test("total is the price times the count; unknown gifts have none", () => {
    const book = new PriceBook();
    book.set(1, 10);
    assert.equal(book.total(1, 5), 50);
    assert.equal(book.total(2, 1), undefined);
    book.set(1, 20);
    assert.equal(book.total(1, 1), 20);
});

test("bounded: the least recently seen gift goes first", () => {
    const book = new PriceBook(3);
    book.set(1, 1);
    book.set(2, 2);
    book.set(3, 3);
    book.set(1, 1); // seen again
    book.set(4, 4);
    assert.equal(book.size(), 3);
    assert.equal(book.total(2, 1), undefined);
    assert.equal(book.total(1, 1), 1);
    for (let id = 0; id < 100_000; ++id) book.set(id, id);
    assert.equal(book.size(), 3);
});
