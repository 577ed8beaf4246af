'use strict';
// Many concurrent requests, each with its own settings, database and parameters, on the
// one chDB session: every answer must be the right one.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, request, query } = require('./helpers');

let srv;
before(async () => {
    srv = await startServer();
    await query(srv.url, 'CREATE DATABASE db_a');
    await query(srv.url, 'CREATE DATABASE db_b');
    await query(srv.url, 'CREATE TABLE db_a.t (x UInt32) ENGINE = MergeTree ORDER BY x');
    await query(srv.url, 'CREATE TABLE db_b.t (x UInt32) ENGINE = MergeTree ORDER BY x');
    await query(srv.url, 'INSERT INTO db_a.t SELECT number FROM numbers(100)');
    await query(srv.url, 'INSERT INTO db_b.t SELECT number FROM numbers(1000)');
});
after(async () => {
    const code = await srv.stop();
    fs.rmSync(srv.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${srv.stderr()}`);
});

test('200 concurrent requests with per-request settings, databases and parameters', async () => {
    const jobs = [];
    for (let i = 0; i < 200; i++) {
        const db = i % 2 === 0 ? 'db_a' : 'db_b';
        const limit = (i % 7) + 1;
        const kind = i % 4;
        if (kind === 3) {
            // an error in the middle of the stream of requests
            jobs.push(
                request(srv.url, { body: 'SELECT * FROM t_missing', query: { database: db, limit: String(limit) } }).then((r) => {
                    assert.equal(r.headers['x-clickhouse-exception-code'], '60');
                }),
            );
            continue;
        }
        if (kind === 2) {
            // no settings at all: the limits of the requests around it must not leak in
            jobs.push(
                request(srv.url, { body: 'SELECT x FROM t ORDER BY x', query: { database: db } }).then((r) => {
                    assert.equal(r.status, 200, r.text);
                    assert.equal(r.text.trim().split('\n').length, db === 'db_a' ? 100 : 1000, `request ${i}`);
                }),
            );
            continue;
        }
        jobs.push(
            request(srv.url, {
                body: 'SELECT currentDatabase(), count() OVER () AS total, x * {f:UInt32} FROM t ORDER BY x',
                query: { database: db, limit: String(limit), param_f: String(i) },
            }).then((r) => {
                assert.equal(r.status, 200, r.text);
                const lines = r.text.trim().split('\n');
                assert.equal(lines.length, limit, `request ${i}: ${r.text}`);
                lines.forEach((line, n) => {
                    const [d, total, v] = line.split('\t');
                    assert.equal(d, db);
                    assert.equal(total, db === 'db_a' ? '100' : '1000');
                    assert.equal(Number(v), n * i);
                });
            }),
        );
    }
    await Promise.all(jobs);
    // nothing leaked after the storm
    assert.equal(await query(srv.url, 'SELECT count() FROM (SELECT x FROM db_b.t)'), '1000\n');
    assert.equal(await query(srv.url, 'SELECT currentDatabase()'), 'default\n');
});

test('concurrent inserts all land', async () => {
    await query(srv.url, 'CREATE TABLE ins (k UInt32, v String) ENGINE = MergeTree ORDER BY k');
    const jobs = [];
    for (let b = 0; b < 20; b++) {
        const rows = [];
        for (let i = 0; i < 500; i++) rows.push(JSON.stringify({ k: b * 500 + i, v: `b${b}` }));
        jobs.push(
            request(srv.url, { query: { query: 'INSERT INTO ins FORMAT JSONEachRow' }, body: rows.join('\n') }).then((r) => {
                assert.equal(r.status, 200, r.text);
                assert.equal(JSON.parse(r.headers['x-clickhouse-summary']).written_rows, '500');
            }),
        );
    }
    await Promise.all(jobs);
    assert.equal(await query(srv.url, 'SELECT count(), uniqExact(k), uniqExact(v) FROM ins'), '10000\t10000\t20\n');
});

test('the event loop stays responsive while a slow query runs', async () => {
    const slow = request(srv.url, { body: 'SELECT sleepEachRow(0.5) FROM numbers(2) FORMAT Null' });
    const started = Date.now();
    // /ping does not go through the session queue and must answer at once
    const ping = await request(srv.url, { method: 'GET', path: '/ping' });
    const pingTook = Date.now() - started;
    assert.equal(ping.text, 'Ok.\n');
    const r = await slow;
    assert.equal(r.status, 200, r.text);
    assert.ok(pingTook < Date.now() - started, 'ping answered before the slow query finished');
});
