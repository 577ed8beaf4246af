'use strict';
// Settings given as URL parameters apply to their own request only, like on a real
// ClickHouse server, even though every request runs on the same chDB session.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, request, query } = require('./helpers');

let srv;
before(async () => {
    srv = await startServer();
});
after(async () => {
    const code = await srv.stop();
    fs.rmSync(srv.dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${srv.stderr()}`);
});

const TEN = 'SELECT number FROM system.numbers LIMIT 10';

async function setting(name, q = {}) {
    return query(srv.url, `SELECT getSetting('${name}')`, q);
}

test('a setting in the URL changes the result of its query', async () => {
    assert.equal(await query(srv.url, TEN, { limit: '3' }), '0\n1\n2\n');
    assert.equal(await setting('max_threads', { max_threads: '3' }), '3\n');
    assert.equal(await query(srv.url, 'SELECT timezone()', { session_timezone: 'Asia/Shanghai' }), 'Asia/Shanghai\n');
    assert.equal(
        await query(srv.url, 'SELECT toUInt64(5) AS x FORMAT JSONEachRow', { output_format_json_quote_64bit_integers: '1' }),
        '{"x":"5"}\n',
    );
    assert.equal(
        await query(srv.url, 'SELECT toUInt64(5) AS x FORMAT JSONEachRow', { output_format_json_quote_64bit_integers: '0' }),
        '{"x":5}\n',
    );
});

test('max_result_rows with the default overflow mode fails the query with code 396', async () => {
    const r = await request(srv.url, { body: TEN, query: { max_result_rows: '5' } });
    assert.equal(r.status, 500);
    assert.equal(r.headers['x-clickhouse-exception-code'], '396');
    // break mode returns a partial result instead of failing
    const b = await request(srv.url, {
        body: TEN,
        query: { max_result_rows: '5', result_overflow_mode: 'break', max_block_size: '5' },
    });
    assert.equal(b.status, 200, b.text);
    assert.ok(b.text.split('\n').length - 1 < 10, b.text);
});

test('settings do not leak into the next query', async () => {
    const before = await setting('max_threads');
    const asyncInsertBefore = await setting('async_insert');
    await query(srv.url, TEN, {
        limit: '3',
        max_threads: '1',
        max_result_rows: '100',
        result_overflow_mode: 'break',
        async_insert: asyncInsertBefore === 'true\n' ? '0' : '1',
        insert_deduplication_token: 'tok-1',
        session_timezone: 'Asia/Shanghai',
        extremes: '1',
    });
    assert.equal(await query(srv.url, TEN), '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
    assert.equal(await setting('max_threads'), before);
    assert.equal(await setting('async_insert'), asyncInsertBefore);
    assert.equal(await setting('insert_deduplication_token'), '\n');
    assert.notEqual(await query(srv.url, 'SELECT timezone()'), 'Asia/Shanghai\n');
    const changed = await query(srv.url, "SELECT name FROM system.settings WHERE changed AND name IN ('limit', 'max_result_rows', 'result_overflow_mode', 'extremes', 'session_timezone')");
    assert.equal(changed, '');
});

test('settings of a failed query do not leak either', async () => {
    const r = await request(srv.url, { body: 'SELECT * FROM no_such_table', query: { limit: '1' } });
    assert.equal(r.headers['x-clickhouse-exception-code'], '60');
    assert.equal((await query(srv.url, TEN)).split('\n').length - 1, 10);
});

test('a SET statement is accepted but, as over HTTP without a session, affects nothing after it', async () => {
    assert.equal(await query(srv.url, 'SET limit = 2'), '');
    assert.equal((await query(srv.url, TEN)).split('\n').length - 1, 10);
    const bad = await request(srv.url, { body: 'SET no_such_setting_xyz = 1' });
    assert.equal(bad.headers['x-clickhouse-exception-code'], '115');
});

test('transport and session parameters are not treated as settings', async () => {
    const r = await request(srv.url, {
        body: 'SELECT 1',
        query: {
            compress: '0',
            decompress: '0',
            query_id: 'q-transport',
            session_id: 'abc',
            session_timeout: '60',
            session_check: '0',
            wait_end_of_query: '1',
            buffer_size: '1000',
            client_protocol_version: '54460',
            quota_key: 'k',
            stacktrace: '0',
            user: 'default',
            password: '',
            database: 'default',
            default_format: 'TabSeparated',
            extremes: '0',
        },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, '1\n');
});

test('an unknown URL parameter is an unknown setting (code 115), as on ClickHouse', async () => {
    const r = await request(srv.url, { body: 'SELECT 1', query: { no_such_setting_abc: '1' } });
    assert.equal(r.status, 404);
    assert.equal(r.headers['x-clickhouse-exception-code'], '115');
    assert.match(r.text, /Unknown setting 'no_such_setting_abc'/);
});

test('a setting that breaks the session (tiny max_query_size) is contained to its request', async () => {
    const r = await request(srv.url, { body: 'SELECT 1', query: { max_query_size: '10' } });
    assert.equal(r.status, 200, r.text);
    // the adapter could not SET it back on the poisoned connection and reopened the session
    assert.equal(await query(srv.url, 'SELECT 123456789 + 1 AS a_rather_long_column_name'), '123456790\n');
    assert.equal(await setting('max_query_size'), '262144\n');
});

test('a readonly=1 SET statement does not lock the session', async () => {
    assert.equal(await query(srv.url, 'SET readonly = 1'), '');
    await query(srv.url, 'CREATE TABLE IF NOT EXISTS after_readonly (x UInt8) ENGINE = Memory');
    assert.equal(await setting('readonly'), '0\n');
});
