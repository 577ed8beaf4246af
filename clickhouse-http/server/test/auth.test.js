'use strict';
// User/password authentication: Basic auth, X-ClickHouse-User/Key headers, user/password
// URL parameters; failures are code 516 AUTHENTICATION_FAILED.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, request, tempDir } = require('./helpers');

const PASSWORD = 'pa55:w0rd-Zq';
let srv;
let dir;
before(async () => {
    dir = tempDir();
    const passwordFile = path.join(dir, 'password');
    fs.writeFileSync(passwordFile, PASSWORD + '\n');
    srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--user', 'citypulse', '--password-file', passwordFile] });
});
after(async () => {
    const code = await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${srv.stderr()}`);
});

const basic = (u, p) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

test('correct credentials in any of the three ClickHouse ways are accepted', async () => {
    const viaBasic = await request(srv.url, { body: 'SELECT 1', headers: { Authorization: basic('citypulse', PASSWORD) } });
    assert.equal(viaBasic.status, 200, viaBasic.text);
    assert.equal(viaBasic.text, '1\n');
    const viaHeaders = await request(srv.url, {
        body: 'SELECT 2',
        headers: { 'X-ClickHouse-User': 'citypulse', 'X-ClickHouse-Key': PASSWORD },
    });
    assert.equal(viaHeaders.text, '2\n');
    const viaParams = await request(srv.url, { body: 'SELECT 3', query: { user: 'citypulse', password: PASSWORD } });
    assert.equal(viaParams.text, '3\n');
});

test('missing credentials: 401 with a Basic challenge, code 516', async () => {
    const r = await request(srv.url, { body: 'SELECT 1' });
    assert.equal(r.status, 401);
    assert.equal(r.headers['x-clickhouse-exception-code'], '516');
    assert.match(r.headers['www-authenticate'], /^Basic/);
    assert.match(r.text, /^Code: 516\. DB::Exception: default: Authentication failed/);
});

test('wrong password or user: 403, code 516', async () => {
    for (const headers of [
        { Authorization: basic('citypulse', 'nope') },
        { Authorization: basic('someone', PASSWORD) },
        { 'X-ClickHouse-User': 'citypulse', 'X-ClickHouse-Key': '' },
    ]) {
        const r = await request(srv.url, { body: 'SELECT 1', headers });
        assert.equal(r.status, 403);
        assert.equal(r.headers['x-clickhouse-exception-code'], '516');
        assert.match(r.text, /AUTHENTICATION_FAILED/);
    }
    const params = await request(srv.url, { body: 'SELECT 1', query: { user: 'citypulse', password: 'x' } });
    assert.equal(params.headers['x-clickhouse-exception-code'], '516');
});

test('mixing the Authorization header with URL credentials is refused', async () => {
    const r = await request(srv.url, {
        body: 'SELECT 1',
        headers: { Authorization: basic('citypulse', PASSWORD) },
        query: { user: 'citypulse', password: PASSWORD },
    });
    assert.equal(r.headers['x-clickhouse-exception-code'], '516');
});

test('health checks need no credentials', async () => {
    const r = await request(srv.url, { method: 'GET', path: '/ping' });
    assert.equal(r.status, 200);
    assert.equal(r.text, 'Ok.\n');
});

test('the password never appears in the logs', async () => {
    await request(srv.url, { body: 'SELECT * FROM missing_table', query: { user: 'citypulse', password: PASSWORD } });
    await request(srv.url, { body: 'SELECT 1', query: { user: 'citypulse', password: PASSWORD + 'x' } });
    assert.ok(!srv.stderr().includes(PASSWORD), srv.stderr());
    assert.ok(!srv.stdout().includes(PASSWORD));
});

test('credentials from the environment; without a configured user any credentials pass', async () => {
    const env = await startServer({ env: { CLICKHOUSE_ADAPTER_USER: 'envuser', CLICKHOUSE_ADAPTER_PASSWORD: 'envpass' } });
    try {
        assert.equal((await request(env.url, { body: 'SELECT 1', headers: { Authorization: basic('envuser', 'envpass') } })).status, 200);
        assert.equal((await request(env.url, { body: 'SELECT 1', headers: { Authorization: basic('envuser', 'bad') } })).status, 403);
    } finally {
        assert.equal(await env.stop(), 0);
        fs.rmSync(env.dataDir, { recursive: true, force: true });
    }
    const open = await startServer();
    try {
        assert.equal((await request(open.url, { body: 'SELECT 1', headers: { Authorization: basic('anyone', 'anything') } })).status, 200);
        assert.equal((await request(open.url, { body: 'SELECT 1' })).status, 200);
    } finally {
        assert.equal(await open.stop(), 0);
        fs.rmSync(open.dataDir, { recursive: true, force: true });
    }
});
