'use strict';
// CityHash128, version 1.0.2 -- the variant ClickHouse uses for the checksums of its
// native compressed blocks (HTTP `compress=1` / `decompress=1`). Later CityHash
// versions produce different values, so this is deliberately the old algorithm.
//
// 64-bit arithmetic is done on pairs of unsigned 32-bit halves (hi, lo) held in
// plain numbers: much faster than BigInt in V8 for the ~MB-sized blocks we hash.
// Every helper returns its 64-bit result through the module-level registers RH/RL
// to avoid allocating objects in the hot loop.

let RH = 0;
let RL = 0;

const K0H = 0xc3a5c85c;
const K0L = 0x97cb3127;
const K1H = 0xb492b66f;
const K1L = 0xbe98f273;
const K2H = 0x9ae16a3b;
const K2L = 0x2f90404f;
const K3H = 0xc949d7c7;
const K3L = 0x509e6557;
const KMH = 0x9ddfea08; // kMul of Hash128to64
const KML = 0xeb382d69;

function add(ah, al, bh, bl) {
    const lo = al + bl;
    RL = lo >>> 0;
    RH = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

function sub(ah, al, bh, bl) {
    const lo = al - bl;
    RL = lo >>> 0;
    RH = (ah - bh - (lo < 0 ? 1 : 0)) >>> 0;
}

// (a * b) mod 2^64. The low 32x32 product is split into 16-bit pieces so that every
// intermediate value stays exactly representable in a double.
function mul(ah, al, bh, bl) {
    const a0 = al & 0xffff;
    const a1 = al >>> 16;
    const b0 = bl & 0xffff;
    const b1 = bl >>> 16;
    const p00 = a0 * b0;
    const mid = a1 * b0 + a0 * b1 + (p00 >>> 16); // < 2^34
    const lo = ((mid & 0xffff) * 0x10000 + (p00 & 0xffff)) >>> 0;
    const carry = Math.floor(mid / 0x10000) + a1 * b1; // high 32 bits of al*bl, may exceed 2^32 by a bit
    RL = lo;
    RH = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

function xorr(ah, al, bh, bl) {
    RH = (ah ^ bh) >>> 0;
    RL = (al ^ bl) >>> 0;
}

// rotate right by s (0 <= s < 64)
function rot(h, l, s) {
    if (s === 0) {
        RH = h;
        RL = l;
        return;
    }
    if (s >= 32) {
        const t = h;
        h = l;
        l = t;
        s -= 32;
        if (s === 0) {
            RH = h;
            RL = l;
            return;
        }
    }
    RL = ((l >>> s) | (h << (32 - s))) >>> 0;
    RH = ((h >>> s) | (l << (32 - s))) >>> 0;
}

// v ^ (v >> 47)
function shiftMix(h, l) {
    RH = h;
    RL = (l ^ (h >>> 15)) >>> 0;
}

// Hash128to64(uint128(u, v))
function hashLen16(uh, ul, vh, vl) {
    mul((uh ^ vh) >>> 0, (ul ^ vl) >>> 0, KMH, KML);
    let ah = RH;
    let al = RL;
    shiftMix(ah, al);
    ah = RH;
    al = RL;
    mul((vh ^ ah) >>> 0, (vl ^ al) >>> 0, KMH, KML);
    shiftMix(RH, RL);
    mul(RH, RL, KMH, KML);
}

// DataView over the buffer being hashed (set by cityHash128); V8 inlines its
// little-endian reads, which makes them much cheaper than Buffer#readUInt32LE here.
let DV = null;

function f64h(b, i) {
    return DV.getUint32(i + 4, true);
}
function f64l(b, i) {
    return DV.getUint32(i, true);
}

function hashLen0to16(b, s, len) {
    if (len > 8) {
        const ah = f64h(b, s);
        const al = f64l(b, s);
        const bh = f64h(b, s + len - 8);
        const bl = f64l(b, s + len - 8);
        add(bh, bl, 0, len);
        rot(RH, RL, len);
        hashLen16(ah, al, RH, RL);
        RH = (RH ^ bh) >>> 0;
        RL = (RL ^ bl) >>> 0;
        return;
    }
    if (len >= 4) {
        const a = DV.getUint32(s, true);
        // len + (a << 3) as a 64-bit value
        const sh = a >>> 29;
        const sl = (a << 3) >>> 0;
        add(sh, sl, 0, len);
        const xh = RH;
        const xl = RL;
        hashLen16(xh, xl, 0, DV.getUint32(s + len - 4, true));
        return;
    }
    if (len > 0) {
        const a = b[s];
        const bb = b[s + (len >>> 1)];
        const c = b[s + len - 1];
        const y = (a + (bb << 8)) >>> 0;
        const z = (len + (c << 2)) >>> 0;
        mul(0, y, K2H, K2L);
        const yh = RH;
        const yl = RL;
        mul(0, z, K3H, K3L);
        xorr(yh, yl, RH, RL);
        shiftMix(RH, RL);
        mul(RH, RL, K2H, K2L);
        return;
    }
    RH = K2H;
    RL = K2L;
}

// Result of the 128-bit functions: [firstHi, firstLo, secondHi, secondLo]
const OUT = new Array(4);

function cityMurmur(b, s, len, seedAh, seedAl, seedBh, seedBl) {
    let ah = seedAh;
    let al = seedAl;
    let bh = seedBh;
    let bl = seedBl;
    let ch;
    let cl;
    let dh;
    let dl;
    let l = len - 16;
    if (l <= 0) {
        mul(ah, al, K1H, K1L);
        shiftMix(RH, RL);
        mul(RH, RL, K1H, K1L);
        ah = RH;
        al = RL;
        mul(bh, bl, K1H, K1L);
        const th = RH;
        const tl = RL;
        hashLen0to16(b, s, len);
        add(th, tl, RH, RL);
        ch = RH;
        cl = RL;
        if (len >= 8) {
            add(ah, al, f64h(b, s), f64l(b, s));
        } else {
            add(ah, al, ch, cl);
        }
        shiftMix(RH, RL);
        dh = RH;
        dl = RL;
    } else {
        add(f64h(b, s + len - 8), f64l(b, s + len - 8), K1H, K1L);
        hashLen16(RH, RL, ah, al);
        ch = RH;
        cl = RL;
        add(bh, bl, 0, len);
        const th = RH;
        const tl = RL;
        add(ch, cl, f64h(b, s + len - 16), f64l(b, s + len - 16));
        hashLen16(th, tl, RH, RL);
        dh = RH;
        dl = RL;
        add(ah, al, dh, dl);
        ah = RH;
        al = RL;
        do {
            mul(f64h(b, s), f64l(b, s), K1H, K1L);
            shiftMix(RH, RL);
            mul(RH, RL, K1H, K1L);
            xorr(ah, al, RH, RL);
            mul(RH, RL, K1H, K1L);
            ah = RH;
            al = RL;
            bh = (bh ^ ah) >>> 0;
            bl = (bl ^ al) >>> 0;
            mul(f64h(b, s + 8), f64l(b, s + 8), K1H, K1L);
            shiftMix(RH, RL);
            mul(RH, RL, K1H, K1L);
            xorr(ch, cl, RH, RL);
            mul(RH, RL, K1H, K1L);
            ch = RH;
            cl = RL;
            dh = (dh ^ ch) >>> 0;
            dl = (dl ^ cl) >>> 0;
            s += 16;
            l -= 16;
        } while (l > 0);
    }
    hashLen16(ah, al, ch, cl);
    ah = RH;
    al = RL;
    hashLen16(dh, dl, bh, bl);
    bh = RH;
    bl = RL;
    OUT[0] = (ah ^ bh) >>> 0;
    OUT[1] = (al ^ bl) >>> 0;
    hashLen16(bh, bl, ah, al);
    OUT[2] = RH;
    OUT[3] = RL;
}

// WeakHashLen32WithSeeds(Fetch64(s), Fetch64(s+8), Fetch64(s+16), Fetch64(s+24), a, b)
// returns the pair through W[0..3] = [firstHi, firstLo, secondHi, secondLo]
const W = new Array(4);
function weakHashLen32WithSeeds(buf, s, ah, al, bh, bl) {
    const wh = f64h(buf, s);
    const wl = f64l(buf, s);
    const xh = f64h(buf, s + 8);
    const xl = f64l(buf, s + 8);
    const yh = f64h(buf, s + 16);
    const yl = f64l(buf, s + 16);
    const zh = f64h(buf, s + 24);
    const zl = f64l(buf, s + 24);
    add(ah, al, wh, wl);
    ah = RH;
    al = RL;
    add(bh, bl, ah, al);
    add(RH, RL, zh, zl);
    rot(RH, RL, 21);
    bh = RH;
    bl = RL;
    const ch = ah;
    const cl = al;
    add(ah, al, xh, xl);
    add(RH, RL, yh, yl);
    ah = RH;
    al = RL;
    rot(ah, al, 44);
    add(bh, bl, RH, RL);
    bh = RH;
    bl = RL;
    add(ah, al, zh, zl);
    W[0] = RH;
    W[1] = RL;
    add(bh, bl, ch, cl);
    W[2] = RH;
    W[3] = RL;
}

function cityHash128WithSeed(b, s, len, seedAh, seedAl, seedBh, seedBl) {
    if (len < 128) {
        cityMurmur(b, s, len, seedAh, seedAl, seedBh, seedBl);
        return;
    }
    let xh = seedAh;
    let xl = seedAl;
    let yh = seedBh;
    let yl = seedBl;
    mul(0, len >>> 0, K1H, K1L);
    let zh = (RH + Math.imul(Math.floor(len / 0x100000000), K1L)) >>> 0; // len < 2^53
    let zl = RL;
    // v.first = Rotate(y ^ k1, 49) * k1 + Fetch64(s)
    rot((yh ^ K1H) >>> 0, (yl ^ K1L) >>> 0, 49);
    mul(RH, RL, K1H, K1L);
    add(RH, RL, f64h(b, s), f64l(b, s));
    let v1h = RH;
    let v1l = RL;
    // v.second = Rotate(v.first, 42) * k1 + Fetch64(s + 8)
    rot(v1h, v1l, 42);
    mul(RH, RL, K1H, K1L);
    add(RH, RL, f64h(b, s + 8), f64l(b, s + 8));
    let v2h = RH;
    let v2l = RL;
    // w.first = Rotate(y + z, 35) * k1 + x
    add(yh, yl, zh, zl);
    rot(RH, RL, 35);
    mul(RH, RL, K1H, K1L);
    add(RH, RL, xh, xl);
    let w1h = RH;
    let w1l = RL;
    // w.second = Rotate(x + Fetch64(s + 88), 53) * k1
    add(xh, xl, f64h(b, s + 88), f64l(b, s + 88));
    rot(RH, RL, 53);
    mul(RH, RL, K1H, K1L);
    let w2h = RH;
    let w2l = RL;

    do {
        for (let half = 0; half < 2; half++) {
            // x = Rotate(x + y + v.first + Fetch64(s + 16), 37) * k1
            add(xh, xl, yh, yl);
            add(RH, RL, v1h, v1l);
            add(RH, RL, f64h(b, s + 16), f64l(b, s + 16));
            rot(RH, RL, 37);
            mul(RH, RL, K1H, K1L);
            xh = RH;
            xl = RL;
            // y = Rotate(y + v.second + Fetch64(s + 48), 42) * k1
            add(yh, yl, v2h, v2l);
            add(RH, RL, f64h(b, s + 48), f64l(b, s + 48));
            rot(RH, RL, 42);
            mul(RH, RL, K1H, K1L);
            yh = RH;
            yl = RL;
            // x ^= w.second; y ^= v.first
            xh = (xh ^ w2h) >>> 0;
            xl = (xl ^ w2l) >>> 0;
            yh = (yh ^ v1h) >>> 0;
            yl = (yl ^ v1l) >>> 0;
            // z = Rotate(z ^ w.first, 33)
            rot((zh ^ w1h) >>> 0, (zl ^ w1l) >>> 0, 33);
            zh = RH;
            zl = RL;
            // v = WeakHashLen32WithSeeds(s, v.second * k1, x + w.first)
            mul(v2h, v2l, K1H, K1L);
            const th = RH;
            const tl = RL;
            add(xh, xl, w1h, w1l);
            weakHashLen32WithSeeds(b, s, th, tl, RH, RL);
            v1h = W[0];
            v1l = W[1];
            v2h = W[2];
            v2l = W[3];
            // w = WeakHashLen32WithSeeds(s + 32, z + w.second, y)
            add(zh, zl, w2h, w2l);
            weakHashLen32WithSeeds(b, s + 32, RH, RL, yh, yl);
            w1h = W[0];
            w1l = W[1];
            w2h = W[2];
            w2l = W[3];
            // swap(z, x)
            let t = zh;
            zh = xh;
            xh = t;
            t = zl;
            zl = xl;
            xl = t;
            s += 64;
        }
        len -= 128;
    } while (len >= 128);

    // y += Rotate(w.first, 37) * k0 + z
    rot(w1h, w1l, 37);
    mul(RH, RL, K0H, K0L);
    add(RH, RL, zh, zl);
    add(yh, yl, RH, RL);
    yh = RH;
    yl = RL;
    // x += Rotate(v.first + z, 49) * k0
    add(v1h, v1l, zh, zl);
    rot(RH, RL, 49);
    mul(RH, RL, K0H, K0L);
    add(xh, xl, RH, RL);
    xh = RH;
    xl = RL;
    // hash up to 4 chunks of 32 bytes from the end of s
    for (let tailDone = 0; tailDone < len; ) {
        tailDone += 32;
        // y = Rotate(y - x, 42) * k0 + v.second
        sub(yh, yl, xh, xl);
        rot(RH, RL, 42);
        mul(RH, RL, K0H, K0L);
        add(RH, RL, v2h, v2l);
        yh = RH;
        yl = RL;
        // w.first += Fetch64(s + len - tail_done + 16)
        const p = s + len - tailDone;
        add(w1h, w1l, f64h(b, p + 16), f64l(b, p + 16));
        w1h = RH;
        w1l = RL;
        // x = Rotate(x, 49) * k0 + w.first
        rot(xh, xl, 49);
        mul(RH, RL, K0H, K0L);
        add(RH, RL, w1h, w1l);
        xh = RH;
        xl = RL;
        // w.first += v.first
        add(w1h, w1l, v1h, v1l);
        w1h = RH;
        w1l = RL;
        // v = WeakHashLen32WithSeeds(s + len - tail_done, v.first, v.second)
        weakHashLen32WithSeeds(b, p, v1h, v1l, v2h, v2l);
        v1h = W[0];
        v1l = W[1];
        v2h = W[2];
        v2l = W[3];
    }
    // x = HashLen16(x, v.first); y = HashLen16(y, w.first)
    hashLen16(xh, xl, v1h, v1l);
    xh = RH;
    xl = RL;
    hashLen16(yh, yl, w1h, w1l);
    yh = RH;
    yl = RL;
    // first = HashLen16(x + v.second, w.second) + y
    add(xh, xl, v2h, v2l);
    hashLen16(RH, RL, w2h, w2l);
    add(RH, RL, yh, yl);
    const fh = RH;
    const fl = RL;
    // second = HashLen16(x + w.second, y + v.second)
    add(xh, xl, w2h, w2l);
    const th = RH;
    const tl = RL;
    add(yh, yl, v2h, v2l);
    hashLen16(th, tl, RH, RL);
    OUT[0] = fh;
    OUT[1] = fl;
    OUT[2] = RH;
    OUT[3] = RL;
}

/**
 * CityHash128 v1.0.2 of buf[offset, offset + length).
 * Returns a 16-byte Buffer: the low 64 bits ("first") then the high 64 bits
 * ("second"), each little-endian -- the layout of ClickHouse's block checksum.
 */
function cityHash128(buf, offset = 0, length = buf.length - offset) {
    const s = offset;
    const len = length;
    DV = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (len >= 16) {
        cityHash128WithSeed(
            buf,
            s + 16,
            len - 16,
            (f64h(buf, s) ^ K3H) >>> 0,
            (f64l(buf, s) ^ K3L) >>> 0,
            f64h(buf, s + 8),
            f64l(buf, s + 8),
        );
    } else if (len >= 8) {
        mul(0, len, K0H, K0L);
        const ah = (f64h(buf, s) ^ RH) >>> 0;
        const al = (f64l(buf, s) ^ RL) >>> 0;
        const bh = (f64h(buf, s + len - 8) ^ K1H) >>> 0;
        const bl = (f64l(buf, s + len - 8) ^ K1L) >>> 0;
        cityHash128WithSeed(buf, s, 0, ah, al, bh, bl);
    } else {
        cityHash128WithSeed(buf, s, len, K0H, K0L, K1H, K1L);
    }
    DV = null;
    const out = Buffer.allocUnsafe(16);
    out.writeUInt32LE(OUT[1], 0);
    out.writeUInt32LE(OUT[0], 4);
    out.writeUInt32LE(OUT[3], 8);
    out.writeUInt32LE(OUT[2], 12);
    return out;
}

module.exports = { cityHash128 };
