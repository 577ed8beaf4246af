'use strict';
// Compression: ClickHouse's native framing (compress=1 / decompress=1, LZ4 blocks with
// CityHash128 v1.0.2 checksums, as the JDBC driver uses by default) and HTTP
// Content-Encoding (enable_http_compression=1).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { cityHash128 } = require('../lib/cityhash');
const lz4 = require('../lib/lz4');
const native = require('../lib/native-compression');
const { startServer, request, query } = require('./helpers');

// CityHash128 of xorshift64 test data, as computed by the ClickHouse Java client's
// com.clickhouse.data.ClickHouseCityHash (lengths cover every code path).
const CITYHASH_VECTORS = [
    [0, '3df09dfc64c09a2b', '3cb540c392e51e29'],
    [1, '42f3f42b1f3a48b4', 'ac368e93102bbd97'],
    [3, '3580a7771e7500e5', '608f0e155011c861'],
    [4, '384fb2fd1e8afd8', '7fe1d58e2d512d14'],
    [8, '6f2b70c3a4631b1c', '6b1affcf5f610e12'],
    [9, '8181da823741166f', '80d23be9a1c3fd49'],
    [16, '9e682aee4de66c1', '2c43f1aba47ea1a0'],
    [17, '4f7636e65eae7667', '67e0290b732b5f2b'],
    [33, '3f3787e4a9b31300', 'ef70046721a1a8ab'],
    [127, 'd60fc052e850bacd', '2b4a601934369a03'],
    [128, '61ad09e42807765a', 'd90341b4fd79b389'],
    [150, '22c36ee13502c14a', '1e6a2aa63f9123aa'],
    [257, '2f8a95f3ced70a7b', '26c32cb27b853de2'],
    [1000, 'ba5c4978d00a4666', '1316763e3dbab78c'],
    [65536, 'e89b309651980f70', 'dcd0ae6e1c5f2f7'],
    [100003, '1ee2454794676b7b', '3ab28f49f2eb52b5'],
];

function xorshiftBytes(n) {
    const b = Buffer.alloc(n);
    const M = (1n << 64n) - 1n;
    let x = 88172645463325252n;
    for (let i = 0; i < n; i++) {
        x ^= (x << 13n) & M;
        x ^= x >> 7n;
        x ^= (x << 17n) & M;
        b[i] = Number(x & 0xffn);
    }
    return b;
}

test('CityHash128 v1.0.2 matches the ClickHouse Java client', () => {
    for (const [len, lo, hi] of CITYHASH_VECTORS) {
        const h = cityHash128(xorshiftBytes(len));
        assert.equal(h.readBigUInt64LE(0).toString(16), lo, `length ${len}`);
        assert.equal(h.readBigUInt64LE(8).toString(16), hi, `length ${len}`);
    }
    // an offset into a larger buffer hashes the same bytes
    const data = xorshiftBytes(1000);
    const padded = Buffer.concat([Buffer.from([1, 2, 3]), data, Buffer.from([4])]);
    assert.deepEqual(cityHash128(padded, 3, 1000), cityHash128(data));
});

test('LZ4 block decoding handles literals, matches and overlapping copies', () => {
    // "abcabcabcabcabcabc" + "xyz": 3 literals, a match (offset 3, length 15), 3 literals
    const block = Buffer.from([0x3b, 0x61, 0x62, 0x63, 0x03, 0x00, 0x30, 0x78, 0x79, 0x7a]);
    assert.equal(lz4.decodeBlock(block, 0, block.length, 21).toString(), 'abcabcabcabcabcabcxyz');
    assert.throws(() => lz4.decodeBlock(block, 0, block.length, 20), /expected|more bytes/);
    const data = xorshiftBytes(70000);
    const enc = lz4.encodeBlock(data);
    assert.deepEqual(lz4.decodeBlock(enc, 0, enc.length, data.length), data);
});

test('xxHash32 and LZ4 frames round-trip', () => {
    assert.equal(lz4.xxh32(Buffer.alloc(0)), 0x02cc5d05);
    assert.equal(lz4.xxh32(Buffer.from('abc')), 0x32d153ff);
    const data = xorshiftBytes(5 << 20);
    assert.deepEqual(lz4.decodeFrame(lz4.encodeFrame(data)), data);
    const bad = lz4.encodeFrame(Buffer.from('hello'));
    bad[6] ^= 0xff;
    assert.throws(() => lz4.decodeFrame(bad), /checksum/);
});

test('native framing round-trips and detects corruption', () => {
    const data = xorshiftBytes(3 << 20); // several 1 MiB blocks
    const framed = native.compress(data);
    assert.equal(framed[16], 0x82);
    assert.deepEqual(native.decompress(framed), data);
    framed[40] ^= 1;
    assert.throws(() => native.decompress(framed), (e) => e.code === 40);
    assert.deepEqual(native.compress(Buffer.alloc(0)), Buffer.alloc(0));
});

let srv;
before(async () => {
    srv = await startServer();
    await query(srv.url, 'CREATE TABLE c (id UInt32, s String) ENGINE = MergeTree ORDER BY id');
});
after(async () => {
    const code = await srv.stop();
    fs.rmSync(srv.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${srv.stderr()}`);
});

test('compress=1 frames the response, errors included', async () => {
    const r = await request(srv.url, { body: 'SELECT number, toString(number) FROM numbers(200000)', query: { compress: '1' } });
    assert.equal(r.status, 200);
    const plain = native.decompress(r.body);
    const lines = plain.toString().trim().split('\n');
    assert.equal(lines.length, 200000);
    assert.equal(lines[123456], '123456\t123456');
    const err = await request(srv.url, { body: 'SELECT * FROM missing', query: { compress: '1' } });
    assert.equal(err.headers['x-clickhouse-exception-code'], '60');
    assert.match(native.decompress(err.body).toString(), /^Code: 60\./);
});

test('decompress=1 reads a natively compressed request body', async () => {
    const rows = [];
    for (let i = 0; i < 1000; i++) rows.push(`${i}\tv${i}`);
    const body = native.compress(Buffer.from(`INSERT INTO c FORMAT TabSeparated\n${rows.join('\n')}\n`));
    const r = await request(srv.url, { body, query: { decompress: '1' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(await query(srv.url, 'SELECT count(), max(s) FROM c'), '1000\tv999\n');
    const corrupt = Buffer.from(body);
    corrupt[30] ^= 0x55;
    const bad = await request(srv.url, { body: corrupt, query: { decompress: '1' } });
    assert.equal(bad.headers['x-clickhouse-exception-code'], '40');
});

test('enable_http_compression=1 honours Accept-Encoding (gzip, deflate, br, lz4)', async () => {
    const sql = 'SELECT number FROM numbers(1000)';
    const expected = await query(srv.url, sql);
    const decoders = {
        gzip: (b) => zlib.gunzipSync(b),
        deflate: (b) => zlib.inflateSync(b),
        br: (b) => zlib.brotliDecompressSync(b),
        lz4: (b) => lz4.decodeFrame(b),
    };
    for (const [enc, decode] of Object.entries(decoders)) {
        const r = await request(srv.url, {
            body: sql,
            query: { enable_http_compression: '1' },
            headers: { 'Accept-Encoding': enc },
        });
        assert.equal(r.headers['content-encoding'], enc);
        assert.equal(decode(r.body).toString(), expected, enc);
    }
    // without enable_http_compression the response stays plain
    const plain = await request(srv.url, { body: sql, headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.text, expected);
});

test('a request body with Content-Encoding gzip or lz4 is decoded', async () => {
    await query(srv.url, 'TRUNCATE TABLE c');
    const r1 = await request(srv.url, {
        body: zlib.gzipSync("INSERT INTO c VALUES (1, 'gz')"),
        headers: { 'Content-Encoding': 'gzip' },
    });
    assert.equal(r1.status, 200, r1.text);
    const r2 = await request(srv.url, {
        body: lz4.encodeFrame(Buffer.from("INSERT INTO c VALUES (2, 'lz')")),
        headers: { 'Content-Encoding': 'lz4' },
    });
    assert.equal(r2.status, 200, r2.text);
    assert.equal(await query(srv.url, 'SELECT id, s FROM c ORDER BY id'), '1\tgz\n2\tlz\n');
    const unknown = await request(srv.url, { body: 'SELECT 1', headers: { 'Content-Encoding': 'snappy' } });
    assert.equal(unknown.headers['x-clickhouse-exception-code'], '89');
});
