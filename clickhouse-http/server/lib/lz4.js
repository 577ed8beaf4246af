'use strict';
// Minimal LZ4 support, written for this adapter:
//  - block decoding (full format), used for request bodies the client compressed;
//  - block "encoding" that emits one literal-only sequence: a valid LZ4 block any
//    decoder accepts, without the CPU cost of match finding (the adapter serves
//    localhost, where bytes on the wire are cheap and JS compression time is not);
//  - the LZ4 frame format (HTTP `Content-Encoding: lz4`) on top of both, with xxHash32
//    for the frame header / optional checksums.

class Lz4Error extends Error {}

/**
 * Decode one LZ4 block src[start, end) into a new Buffer of exactly `size` bytes
 * (when size is known) or into a growing buffer (size < 0, up to maxSize).
 */
function decodeBlock(src, start, end, size, maxSize = 1 << 30) {
    let dst = Buffer.allocUnsafe(size >= 0 ? size : Math.min(Math.max(64, (end - start) * 4), maxSize));
    let si = start;
    let di = 0;
    const ensure = (n) => {
        if (di + n <= dst.length) return;
        if (size >= 0 || di + n > maxSize) throw new Lz4Error('LZ4 block decodes to more bytes than declared');
        let cap = dst.length * 2;
        while (cap < di + n) cap *= 2;
        const grown = Buffer.allocUnsafe(Math.min(cap, maxSize));
        dst.copy(grown, 0, 0, di);
        dst = grown;
    };
    while (si < end) {
        const token = src[si++];
        let lit = token >>> 4;
        if (lit === 15) {
            let b;
            do {
                if (si >= end) throw new Lz4Error('truncated LZ4 literal length');
                b = src[si++];
                lit += b;
            } while (b === 255);
        }
        if (si + lit > end) throw new Lz4Error('truncated LZ4 literals');
        ensure(lit);
        src.copy(dst, di, si, si + lit);
        si += lit;
        di += lit;
        if (si >= end) break; // last sequence: literals only
        if (si + 2 > end) throw new Lz4Error('truncated LZ4 match offset');
        const offset = src[si] | (src[si + 1] << 8);
        si += 2;
        if (offset === 0 || offset > di) throw new Lz4Error('invalid LZ4 match offset');
        let ml = token & 15;
        if (ml === 15) {
            let b;
            do {
                if (si >= end) throw new Lz4Error('truncated LZ4 match length');
                b = src[si++];
                ml += b;
            } while (b === 255);
        }
        ml += 4;
        ensure(ml);
        let from = di - offset;
        if (offset >= ml) {
            dst.copy(dst, di, from, from + ml);
            di += ml;
        } else {
            for (let i = 0; i < ml; i++) dst[di++] = dst[from++];
        }
    }
    if (size >= 0 && di !== size) throw new Lz4Error(`LZ4 block decoded to ${di} bytes, expected ${size}`);
    return size >= 0 ? dst : dst.subarray(0, di);
}

/** Encode src[start, end) as one LZ4 block holding a single literal-only sequence. */
function encodeBlock(src, start = 0, end = src.length) {
    const n = end - start;
    let extra = 0;
    if (n >= 15) extra = Math.floor((n - 15) / 255) + 1;
    const out = Buffer.allocUnsafe(1 + extra + n);
    let o = 0;
    if (n < 15) {
        out[o++] = n << 4;
    } else {
        out[o++] = 0xf0;
        let rest = n - 15;
        while (rest >= 255) {
            out[o++] = 255;
            rest -= 255;
        }
        out[o++] = rest;
    }
    src.copy(out, o, start, end);
    return out;
}

// ---- xxHash32 ----
const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

function rotl(x, r) {
    return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function round(acc, input) {
    acc = (acc + Math.imul(input, P2)) >>> 0;
    acc = rotl(acc, 13);
    return Math.imul(acc, P1) >>> 0;
}

function xxh32(buf, start = 0, end = buf.length, seed = 0) {
    const len = end - start;
    let p = start;
    let h;
    if (len >= 16) {
        let v1 = (seed + P1 + P2) >>> 0;
        let v2 = (seed + P2) >>> 0;
        let v3 = seed >>> 0;
        let v4 = (seed - P1) >>> 0;
        const limit = end - 16;
        while (p <= limit) {
            v1 = round(v1, buf.readUInt32LE(p));
            v2 = round(v2, buf.readUInt32LE(p + 4));
            v3 = round(v3, buf.readUInt32LE(p + 8));
            v4 = round(v4, buf.readUInt32LE(p + 12));
            p += 16;
        }
        h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
    } else {
        h = (seed + P5) >>> 0;
    }
    h = (h + len) >>> 0;
    while (p + 4 <= end) {
        h = (h + Math.imul(buf.readUInt32LE(p), P3)) >>> 0;
        h = Math.imul(rotl(h, 17), P4) >>> 0;
        p += 4;
    }
    while (p < end) {
        h = (h + Math.imul(buf[p], P5)) >>> 0;
        h = Math.imul(rotl(h, 11), P1) >>> 0;
        p++;
    }
    h ^= h >>> 15;
    h = Math.imul(h, P2) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, P3) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
}

// ---- LZ4 frame format ----
const FRAME_MAGIC = 0x184d2204;
const BLOCK_MAX = 4 << 20; // BD code 7

/**
 * Encode data as an LZ4 frame: independent blocks of at most 4 MiB, each stored
 * uncompressed (high bit of the block size set), plus a content checksum.
 */
function encodeFrame(data) {
    const parts = [];
    const header = Buffer.alloc(7);
    header.writeUInt32LE(FRAME_MAGIC, 0);
    header[4] = 0x40 | 0x20 | 0x04; // version 01, block independence, content checksum
    header[5] = 7 << 4; // max block size 4 MiB
    header[6] = (xxh32(header, 4, 6) >>> 8) & 0xff;
    parts.push(header);
    for (let off = 0; off < data.length; off += BLOCK_MAX) {
        const end = Math.min(data.length, off + BLOCK_MAX);
        const size = Buffer.allocUnsafe(4);
        size.writeUInt32LE(((end - off) | 0x80000000) >>> 0, 0);
        parts.push(size, data.subarray(off, end));
    }
    const trailer = Buffer.allocUnsafe(8);
    trailer.writeUInt32LE(0, 0);
    trailer.writeUInt32LE(xxh32(data), 4);
    parts.push(trailer);
    return Buffer.concat(parts);
}

/** Decode one or more concatenated LZ4 frames (skippable frames are skipped). */
function decodeFrame(buf, maxSize = 1 << 30) {
    const out = [];
    let total = 0;
    let p = 0;
    while (p < buf.length) {
        if (p + 4 > buf.length) throw new Lz4Error('truncated LZ4 frame');
        const magic = buf.readUInt32LE(p);
        if ((magic & 0xfffffff0) === 0x184d2a50) {
            const n = buf.readUInt32LE(p + 4);
            p += 8 + n;
            continue;
        }
        if (magic !== FRAME_MAGIC) throw new Lz4Error('not an LZ4 frame (bad magic number)');
        p += 4;
        const flg = buf[p];
        const bd = buf[p + 1];
        if (flg >>> 6 !== 1) throw new Lz4Error('unsupported LZ4 frame version');
        const blockChecksum = (flg & 0x10) !== 0;
        const hasContentSize = (flg & 0x08) !== 0;
        const contentChecksum = (flg & 0x04) !== 0;
        const hasDictId = (flg & 0x01) !== 0;
        if (hasDictId) throw new Lz4Error('LZ4 frames with a dictionary are not supported');
        const descStart = p;
        p += 2 + (hasContentSize ? 8 : 0);
        const hc = buf[p];
        if (((xxh32(buf, descStart, p) >>> 8) & 0xff) !== hc) throw new Lz4Error('LZ4 frame header checksum mismatch');
        p += 1;
        const blockMax = 1 << (8 + 2 * ((bd >>> 4) & 7));
        const frameStart = out.length;
        for (;;) {
            if (p + 4 > buf.length) throw new Lz4Error('truncated LZ4 frame');
            const word = buf.readUInt32LE(p);
            p += 4;
            if (word === 0) break;
            const stored = (word & 0x80000000) !== 0;
            const n = word & 0x7fffffff;
            if (p + n > buf.length) throw new Lz4Error('truncated LZ4 block');
            const block = stored ? buf.subarray(p, p + n) : decodeBlock(buf, p, p + n, -1, blockMax);
            p += n + (blockChecksum ? 4 : 0);
            total += block.length;
            if (total > maxSize) throw new Lz4Error('decompressed body too large');
            out.push(block);
        }
        if (contentChecksum) {
            const expected = buf.readUInt32LE(p);
            p += 4;
            const content = Buffer.concat(out.slice(frameStart));
            if (xxh32(content) !== expected) throw new Lz4Error('LZ4 frame content checksum mismatch');
        }
    }
    return Buffer.concat(out);
}

module.exports = { decodeBlock, encodeBlock, encodeFrame, decodeFrame, xxh32, Lz4Error };
