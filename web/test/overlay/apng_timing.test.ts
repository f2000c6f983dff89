// An APNG's play time from its chunks: frames' delays times plays, capped; not an APNG: none.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apngPlayMs } from "../../src/overlay/apng_timing.js";

function chunk(type: string, data: number[]): number[] {
    const length = [24, 16, 8, 0].map((shift) => (data.length >>> shift) & 0xff);
    return [...length, ...[...type].map((c) => c.charCodeAt(0)), ...data, 0, 0, 0, 0]; // CRC not checked
}
const u32 = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff);
const u16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const fcTL = (sequence: number, numerator: number, denominator: number) =>
    chunk("fcTL", [...u32(sequence), ...u32(128), ...u32(128), ...u32(0), ...u32(0), ...u16(numerator), ...u16(denominator), 0, 0]);
const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ihdr = chunk("IHDR", new Array(13).fill(0));

function apng(frames: number, plays: number, numerator: number, denominator: number): Uint8Array {
    const body: number[] = [...signature, ...ihdr, ...chunk("acTL", [...u32(frames), ...u32(plays)])];
    for (let i = 0; i < frames; ++i) {
        body.push(...fcTL(i * 2, numerator, denominator), ...chunk(i === 0 ? "IDAT" : "fdAT", [1, 2, 3]));
    }
    return new Uint8Array([...body, ...chunk("IEND", [])]);
}

test("24 frames of 60 ms played once: 1.44 s (the demo's effects)", () => {
    assert.equal(apngPlayMs(apng(24, 1, 60, 1000)), 1440);
});

test("plays multiply; a loop for ever counts once; a den of 0 means 100; capped", () => {
    assert.equal(apngPlayMs(apng(10, 3, 1, 10)), 3000);
    assert.equal(apngPlayMs(apng(10, 0, 1, 10)), 1000);
    assert.equal(apngPlayMs(apng(5, 1, 10, 0)), 500);
    assert.equal(apngPlayMs(apng(100, 100, 1, 1)), 15_000);
});

test("a still PNG, another format or a truncated APNG: undefined", () => {
    assert.equal(apngPlayMs(new Uint8Array([...signature, ...ihdr, ...chunk("IDAT", [1]), ...chunk("IEND", [])])), undefined);
    assert.equal(apngPlayMs(new TextEncoder().encode("GIF89a....")), undefined);
    const whole = apng(3, 1, 60, 1000);
    assert.equal(apngPlayMs(whole.subarray(0, whole.length - 20)), undefined);
    assert.equal(apngPlayMs(new Uint8Array()), undefined);
});
