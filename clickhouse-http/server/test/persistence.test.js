'use strict';
// Data survives a restart of the adapter on the same --path; SIGTERM exits cleanly.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, query, tempDir } = require('./helpers');

test('tables and rows are still there after a restart', async () => {
    const dataDir = tempDir();
    try {
        const first = await startServer({ dataDir });
        await query(first.url, 'CREATE DATABASE city');
        await query(first.url, 'CREATE TABLE city.counts (district String, n UInt64, v UInt32) ENGINE = ReplacingMergeTree(v) ORDER BY district');
        await query(first.url, "INSERT INTO city.counts VALUES ('Futian', 1, 1), ('Luohu', 2, 1)");
        await query(first.url, "INSERT INTO city.counts VALUES ('Futian', 10, 2)");
        await query(first.url, 'CREATE TABLE city.log (id UInt32) ENGINE = MergeTree ORDER BY id');
        await query(first.url, 'INSERT INTO city.log SELECT number FROM numbers(12345)');
        assert.equal(await first.stop(), 0, first.stderr());

        const second = await startServer({ dataDir });
        try {
            assert.equal(await query(second.url, 'SELECT district, n FROM city.counts FINAL ORDER BY district'), 'Futian\t10\nLuohu\t2\n');
            assert.equal(await query(second.url, 'SELECT count(), sum(id) FROM city.log'), `12345\t${(12344 * 12345) / 2}\n`);
            assert.match(await query(second.url, 'SHOW DATABASES'), /city/);
        } finally {
            assert.equal(await second.stop(), 0, second.stderr());
        }
    } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
});

test('SIGINT also shuts down cleanly', async () => {
    const srv = await startServer();
    try {
        assert.equal(await query(srv.url, 'SELECT 1'), '1\n');
        srv.proc.kill('SIGINT');
        assert.equal(await srv.exited, 0);
    } finally {
        fs.rmSync(srv.dataDir, { recursive: true, force: true });
    }
});
