// How long an animated PNG plays, read from its own chunks, so the overlay ends a gift effect
// when its last frame has shown: browsers play APNGs in an <img> but report no end. Pure.
//
// An APNG is a PNG with an acTL chunk (frame count, plays: 0 = for ever) and one fcTL chunk per
// frame whose delay is delay_num / delay_den seconds (a den of 0 means 100, per the spec).
// Answers undefined for anything that is not a well-formed APNG (a still PNG, another format, a
// file truncated before its IEND); an APNG that loops for ever counts one play; the answer is
// at most `capMs`.

const kSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function apngPlayMs(bytes: Uint8Array, capMs = 15_000): number | undefined {
    if (bytes.length < 8 || kSignature.some((byte, i) => bytes[i] !== byte)) {
        return undefined;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let plays: number | undefined;
    let frameMs = 0;
    let frames = 0;
    let ended = false;
    for (let at = 8; at + 12 <= bytes.length; ) {
        const length = view.getUint32(at);
        const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
        const data = at + 8;
        if (data + length + 4 > bytes.length) {
            return undefined; // truncated
        }
        if (type === "acTL" && length >= 8) {
            plays = view.getUint32(data + 4);
        } else if (type === "fcTL" && length >= 26) {
            const numerator = view.getUint16(data + 20);
            const denominator = view.getUint16(data + 22) || 100;
            frameMs += (numerator * 1000) / denominator;
            ++frames;
        } else if (type === "IEND") {
            ended = true;
            break;
        }
        at = data + length + 4;
    }
    if (!ended || plays === undefined || frames === 0) {
        return undefined;
    }
    return Math.min(capMs, Math.round(frameMs * Math.max(1, plays)));
}
