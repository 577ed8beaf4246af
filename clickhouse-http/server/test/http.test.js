'use strict';
// The HTTP interface: health checks, the ways to send a query and data, formats,
// databases, query parameters, errors and response headers.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, request, query } = require('./helpers');

let srv;
before(async () => {
    srv = await startServer();
    await query(srv.url, 'CREATE TABLE events (id UInt32, name String, at DateTime64(3, \'Asia/Shanghai\')) ENGINE = MergeTree ORDER BY id');
});
after(async () => {
    const code = await srv.stop();
    fs.rmSync(srv.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${srv.stderr()}`);
});

test('GET /ping, GET / and HEAD /ping answer Ok.', async () => {
    for (const path of ['/ping', '/']) {
        const r = await request(srv.url, { method: 'GET', path });
        assert.equal(r.status, 200);
        assert.equal(r.text, 'Ok.\n');
    }
    const head = await request(srv.url, { method: 'HEAD', path: '/ping' });
    assert.equal(head.status, 200);
    const missing = await request(srv.url, { method: 'GET', path: '/nope' });
    assert.equal(missing.status, 404);
});

test('a query in the URL (GET) or in the body (POST), TabSeparated by default', async () => {
    const get = await request(srv.url, { method: 'GET', query: { query: 'SELECT 1 + 1, \'a\\tb\'' } });
    assert.equal(get.status, 200);
    assert.equal(get.text, '2\ta\\tb\n');
    assert.equal(get.headers['x-clickhouse-format'], 'TabSeparated');
    assert.match(get.headers['content-type'], /^text\/tab-separated-values/);
    const post = await request(srv.url, { body: 'SELECT number FROM numbers(3)' });
    assert.equal(post.text, '0\n1\n2\n');
});

test('response headers of a query: query id, summary, timezone, server name', async () => {
    const r = await request(srv.url, { body: 'SELECT number FROM numbers(5)', query: { query_id: 'my-query-1' } });
    assert.equal(r.headers['x-clickhouse-query-id'], 'my-query-1');
    const summary = JSON.parse(r.headers['x-clickhouse-summary']);
    assert.equal(summary.result_rows, '5');
    assert.equal(summary.written_rows, '0');
    assert.ok(r.headers['x-clickhouse-timezone']);
    assert.ok(r.headers['x-clickhouse-server-display-name']);
    const generated = await request(srv.url, { body: 'SELECT 1' });
    assert.match(generated.headers['x-clickhouse-query-id'], /^[0-9a-f-]{36}$/);
});

test('INSERT with the query in the URL and JSONEachRow rows in the body; summary counts written rows', async () => {
    const rows = [];
    for (let i = 0; i < 10000; i++) rows.push(JSON.stringify({ id: i, name: `n${i}`, at: '2026-01-01 08:00:00.000' }));
    const r = await request(srv.url, {
        query: { query: 'INSERT INTO events FORMAT JSONEachRow' },
        body: rows.join('\n') + '\n',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, '');
    const summary = JSON.parse(r.headers['x-clickhouse-summary']);
    assert.equal(summary.written_rows, '10000');
    assert.equal(await query(srv.url, 'SELECT count(), sum(id) FROM events'), `10000\t${(9999 * 10000) / 2}\n`);
    assert.equal(
        await query(srv.url, 'SELECT toUnixTimestamp64Milli(at) FROM events WHERE id = 3'),
        '1767225600000\n',
        'DateTime64 parsed in the column time zone',
    );
});

test('INSERT ... VALUES entirely in the body, and data after a VALUES query in the URL', async () => {
    await query(srv.url, 'CREATE TABLE kv (k String, v Int64) ENGINE = MergeTree ORDER BY k');
    const r = await request(srv.url, { body: "INSERT INTO kv VALUES ('a', 1), ('semi;colon', -2)" });
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.headers['x-clickhouse-summary']).written_rows, '2');
    const r2 = await request(srv.url, { query: { query: 'INSERT INTO kv VALUES' }, body: "('c', 3)" });
    assert.equal(r2.status, 200, r2.text);
    const tsv = await request(srv.url, { query: { query: 'INSERT INTO kv FORMAT TabSeparated' }, body: 'd\t4\ne;x\t5\n' });
    assert.equal(tsv.status, 200, tsv.text);
    assert.equal(await query(srv.url, 'SELECT k, v FROM kv ORDER BY k'), 'a\t1\nc\t3\nd\t4\ne;x\t5\nsemi;colon\t-2\n');
});

test('binary inserts are stored whole, line feeds in the data included', async () => {
    // chDB ends inline insert data at two consecutive line feeds and drops the rest without an
    // error; in binary data they are just two bytes 0x0A, e.g. the UInt64 2570 (0x0A0A), or a
    // string with an empty line. The adapter sends such data through a file (FROM INFILE).
    await query(srv.url, 'CREATE TABLE bin (x UInt64, s String) ENGINE = MergeTree ORDER BY x');
    const n = 3000;
    const parts = [];
    let sum = 0n;
    for (let i = 0; i < n; i++) {
        const x = Buffer.alloc(8);
        x.writeBigUInt64LE(BigInt(i) * 2570n);
        sum += BigInt(i) * 2570n;
        const s = Buffer.from(`row ${i}\n\nend`);
        parts.push(x, Buffer.from([s.length]), s);
    }
    const rows = Buffer.concat(parts);
    assert.ok(rows.includes(Buffer.from([0x0a, 0x0a])));
    const r = await request(srv.url, { query: { query: 'INSERT INTO bin (x, s) FORMAT RowBinary' }, body: rows });
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(r.headers['x-clickhouse-summary']).written_rows, String(n));
    assert.equal(await query(srv.url, 'SELECT count(), sum(x), countIf(s LIKE \'row %\\n\\nend\') FROM bin'), `${n}\t${sum}\t${n}\n`);
    // The statement and the data in the body: the data starts after the format name, its
    // spaces and one line break, as on ClickHouse.
    const inBody = await request(srv.url, { body: Buffer.concat([Buffer.from('INSERT INTO bin FORMAT RowBinary  \n'), rows]) });
    assert.equal(inBody.status, 200, inBody.text);
    assert.equal(await query(srv.url, 'SELECT count(), sum(x) FROM bin'), `${2 * n}\t${2n * sum}\n`);
    // Data that does not parse: an error, and none of it stored.
    const bad = await request(srv.url, { query: { query: 'INSERT INTO bin FORMAT RowBinary' }, body: Buffer.from([1, 2, 3]) });
    assert.equal(bad.status, 500, bad.text);
    assert.match(bad.text, /CANNOT_READ_ALL_DATA/);
    assert.equal(await query(srv.url, 'SELECT count() FROM bin'), `${2 * n}\n`);
    // What the adapter cannot pass on is refused, not cut short.
    const withSettings = await request(srv.url, {
        query: { query: 'INSERT INTO bin SETTINGS max_insert_block_size = 100 FORMAT RowBinary' },
        body: rows,
    });
    assert.equal(withSettings.status, 501, withSettings.text);
    assert.match(withSettings.text, /NOT_IMPLEMENTED.*|SETTINGS clause/);
    const withParams = await request(srv.url, {
        query: { query: 'INSERT INTO bin FORMAT RowBinary', param_x: '1' },
        body: rows,
    });
    assert.equal(withParams.status, 501, withParams.text);
    assert.equal(await query(srv.url, 'SELECT count() FROM bin'), `${2 * n}\n`);
    // Text formats still go through as before.
    const v = await request(srv.url, { body: 'INSERT INTO bin VALUES (1, \'a\'), (2, \'b\')' });
    assert.equal(v.status, 200, v.text);
    assert.equal(await query(srv.url, 'SELECT count() FROM bin'), `${2 * n + 2}\n`);
});

test('the data files of binary inserts are removed, and their directory at shutdown', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'adapter-tmp-'));
    const own = await startServer({ env: { TMPDIR: tmp } });
    try {
        await query(own.url, 'CREATE TABLE b (x UInt64) ENGINE = MergeTree ORDER BY x');
        const rows = Buffer.alloc(100 * 8);
        for (let i = 0; i < 100; i++) rows.writeBigUInt64LE(BigInt(i), i * 8);
        for (const body of [rows, Buffer.from([1, 2, 3])]) {
            await request(own.url, { query: { query: 'INSERT INTO b FORMAT RowBinary' }, body });
        }
        assert.equal(await query(own.url, 'SELECT count() FROM b'), '100\n');
        const dirs = fs.readdirSync(tmp).filter((d) => d.startsWith('citypulse-chdb-inserts-'));
        assert.equal(dirs.length, 1, `one directory of insert files: ${dirs}`);
        assert.deepEqual(fs.readdirSync(path.join(tmp, dirs[0])), []);
    } finally {
        assert.equal(await own.stop(), 0, own.stderr());
        fs.rmSync(own.dataDir, { recursive: true, force: true });
    }
    assert.deepEqual(fs.readdirSync(tmp), []);
    fs.rmSync(tmp, { recursive: true, force: true });
});

test('output format: FORMAT clause, default_format, X-ClickHouse-Format header', async () => {
    const a = await request(srv.url, { body: 'SELECT 1 AS x FORMAT JSONEachRow' });
    assert.equal(a.text, '{"x":1}\n');
    assert.equal(a.headers['x-clickhouse-format'], 'JSONEachRow');
    const b = await request(srv.url, { body: 'SELECT 2 AS x', query: { default_format: 'CSVWithNames' } });
    assert.equal(b.text, '"x"\n2\n');
    assert.equal(b.headers['x-clickhouse-format'], 'CSVWithNames');
    const c = await request(srv.url, {
        body: 'SELECT toUInt8(3) AS x',
        headers: { 'X-ClickHouse-Format': 'RowBinaryWithNamesAndTypes' },
    });
    assert.equal(c.headers['x-clickhouse-format'], 'RowBinaryWithNamesAndTypes');
    assert.equal(c.headers['content-type'], 'application/octet-stream');
    assert.deepEqual([...c.body], [1, 1, 0x78, 5, ...Buffer.from('UInt8'), 3]);
    // the FORMAT clause wins over the default format
    const d = await request(srv.url, { body: 'SELECT 4 AS x FORMAT TSV', query: { default_format: 'JSON' } });
    assert.equal(d.text, '4\n');
    // a column named "format" is not a FORMAT clause
    const e = await request(srv.url, { body: "SELECT 'v' AS format", query: { default_format: 'JSONEachRow' } });
    assert.equal(e.text, '{"format":"v"}\n');
});

test('database URL parameter and X-ClickHouse-Database header select the current database, per request', async () => {
    await query(srv.url, 'CREATE DATABASE IF NOT EXISTS other');
    await query(srv.url, 'CREATE TABLE other.t (x UInt8) ENGINE = Memory');
    await query(srv.url, 'INSERT INTO other.t VALUES (42)');
    assert.equal(await query(srv.url, 'SELECT x FROM t', { database: 'other' }), '42\n');
    assert.equal(await query(srv.url, 'SELECT currentDatabase()', {}, { 'X-ClickHouse-Database': 'other' }), 'other\n');
    assert.equal(await query(srv.url, 'SELECT currentDatabase()'), 'default\n');
    // a USE statement does not change the database of later requests
    assert.equal(await query(srv.url, 'USE other'), '');
    assert.equal(await query(srv.url, 'SELECT currentDatabase()'), 'default\n');
    const missing = await request(srv.url, { body: 'SELECT 1', query: { database: 'no_such_db' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-clickhouse-exception-code'], '81');
});

test('query parameters param_name fill {name:Type} placeholders', async () => {
    const r = await query(srv.url, 'SELECT {a:UInt32} * 2, {s:String}, {arr:Array(UInt8)}, {n:Nullable(Int8)}', {
        param_a: '21',
        param_s: "it's a\\ttab",
        param_arr: '[1,2,3]',
        param_n: '\\N',
    });
    assert.equal(r, "42\tit\\'s a\\ttab\t[1,2,3]\t\\N\n");
    const missing = await request(srv.url, { body: 'SELECT {zzz:UInt8}' });
    assert.equal(missing.headers['x-clickhouse-exception-code'], '456');
});

test('errors: ClickHouse status, X-ClickHouse-Exception-Code and a "Code: N. DB::Exception" body', async () => {
    const unknownTable = await request(srv.url, { body: 'SELECT * FROM no_such_table' });
    assert.equal(unknownTable.status, 404);
    assert.equal(unknownTable.headers['x-clickhouse-exception-code'], '60');
    assert.match(unknownTable.text, /^Code: 60\. DB::Exception: .*\(UNKNOWN_TABLE\)/);
    assert.ok(unknownTable.text.endsWith('\n'));

    const syntax = await request(srv.url, { body: 'SELEC 1' });
    assert.equal(syntax.status, 400);
    assert.equal(syntax.headers['x-clickhouse-exception-code'], '62');

    const thrown = await request(srv.url, { body: "SELECT throwIf(1, 'boom')" });
    assert.equal(thrown.status, 500);
    assert.equal(thrown.headers['x-clickhouse-exception-code'], '395');
    assert.match(thrown.text, /boom/);

    const badData = await request(srv.url, { query: { query: 'INSERT INTO events FORMAT JSONEachRow' }, body: '{"id":"x"}\n' });
    assert.equal(badData.status, 400);
    assert.equal(badData.headers['x-clickhouse-exception-code'], '27');

    const unknownFormat = await request(srv.url, { body: 'SELECT 1', query: { default_format: 'NoSuchFormat' } });
    assert.equal(unknownFormat.status, 404);
    assert.equal(unknownFormat.headers['x-clickhouse-exception-code'], '73');
    assert.equal((unknownFormat.text.match(/Code: 73/g) || []).length, 1, unknownFormat.text);

    const empty = await request(srv.url, { body: '' });
    assert.equal(empty.headers['x-clickhouse-exception-code'], '62');
    assert.match(empty.text, /Empty query/);

    // the session is still fine afterwards
    assert.equal(await query(srv.url, 'SELECT 1'), '1\n');
});

test('multi-statements are refused like ClickHouse does, also hidden in VALUES', async () => {
    const r = await request(srv.url, { body: 'SELECT 1; SELECT 2' });
    assert.equal(r.headers['x-clickhouse-exception-code'], '62');
    assert.match(r.text, /Multi-statements are not allowed/);
    const inValues = await request(srv.url, { body: "INSERT INTO kv VALUES ('z', 1); DROP TABLE kv" });
    assert.equal(inValues.headers['x-clickhouse-exception-code'], '62');
    assert.equal(await query(srv.url, "SELECT count() FROM kv WHERE k = 'z'"), '0\n');
    // a single trailing semicolon is fine
    assert.equal(await query(srv.url, 'SELECT 3;'), '3\n');
});

test('GET is read-only: modifying queries need POST', async () => {
    const r = await request(srv.url, { method: 'GET', query: { query: 'CREATE TABLE nope (x UInt8) ENGINE = Memory' } });
    assert.equal(r.headers['x-clickhouse-exception-code'], '164');
    const ok = await request(srv.url, { method: 'GET', query: { query: 'SHOW TABLES' } });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /events/);
    const ro = await request(srv.url, { query: { readonly: '1' }, body: 'INSERT INTO kv VALUES (\'r\', 1)' });
    assert.equal(ro.headers['x-clickhouse-exception-code'], '164');
});
