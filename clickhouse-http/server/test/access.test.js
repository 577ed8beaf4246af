'use strict';
// SQL-defined users (CREATE USER ... SETTINGS readonly = 1, GRANT SELECT ON db.*): a read-only
// reporting user can SELECT from its database and is refused writes, DDL, setting changes,
// other databases and access management; the users survive a restart; the administrator
// (the configured user, or anyone when none is configured) keeps its rights.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, request, query, tempDir } = require('./helpers');

const ADMIN_PASSWORD = 'adm1n-Pw';
const DASH_PASSWORD = 's3cret:dash';
const DASH_SHA256 = crypto.createHash('sha256').update(DASH_PASSWORD).digest('hex');
const basic = (u, p) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
const ADMIN = { Authorization: basic('citypulse', ADMIN_PASSWORD) };
const DASH = { Authorization: basic('dashboard', DASH_PASSWORD) };

let srv;
let dir;
let passwordFile;
before(async () => {
    dir = tempDir();
    passwordFile = path.join(dir, 'password');
    fs.writeFileSync(passwordFile, ADMIN_PASSWORD + '\n');
    srv = await startServer({ dataDir: path.join(dir, 'data'), args: ['--user', 'citypulse', '--password-file', passwordFile] });
    const admin = (sql) => query(srv.url, sql, {}, ADMIN);
    await admin('CREATE DATABASE city');
    await admin('CREATE DATABASE secret');
    await admin('CREATE TABLE city.t (x UInt32) ENGINE = MergeTree ORDER BY x');
    await admin('CREATE TABLE secret.s (x UInt32) ENGINE = MergeTree ORDER BY x');
    await admin('INSERT INTO city.t VALUES (1), (2), (3)');
    await admin('INSERT INTO secret.s VALUES (42)');
    await admin(
        `-- the dashboard user, as sql/users/dashboard_user.sql defines it\n` +
            `CREATE USER IF NOT EXISTS dashboard IDENTIFIED WITH sha256_hash BY '${DASH_SHA256}' SETTINGS readonly = 1;`,
    );
    await admin('GRANT SELECT ON city.* TO dashboard');
});
after(async () => {
    const code = await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, `exit code; stderr: ${srv.stderr()}`);
});

const asDash = (sql, extra = {}) => request(srv.url, { body: sql, headers: DASH, ...extra });

test('the read-only user can SELECT from its granted database', async () => {
    const r = await asDash('SELECT sum(x) FROM t', { query: { database: 'city' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, '6\n');
    const qualified = await asDash('SELECT count() FROM city.t');
    assert.equal(qualified.text, '3\n');
    const params = await asDash('SELECT count() FROM t WHERE x >= {min:UInt32}', { query: { database: 'city', param_min: '2' } });
    assert.equal(params.text, '2\n');
});

test('the read-only user is refused writes and DDL with code 164 READONLY', async () => {
    for (const sql of [
        'INSERT INTO t VALUES (9)',
        'CREATE TABLE t2 (x UInt8) ENGINE = Memory',
        'DROP TABLE t',
        'ALTER TABLE t DELETE WHERE 1',
        'TRUNCATE TABLE t',
    ]) {
        const r = await asDash(sql, { query: { database: 'city' } });
        assert.equal(r.status, 500, `${sql}: ${r.text}`);
        assert.equal(r.headers['x-clickhouse-exception-code'], '164', sql);
        assert.match(r.text, /READONLY/);
    }
    assert.equal(await query(srv.url, 'SELECT count() FROM city.t', {}, ADMIN), '3\n', 'nothing was written');
    const tables = await query(srv.url, "SELECT name FROM system.tables WHERE database = 'city' ORDER BY name", {}, ADMIN);
    assert.equal(tables, 't\n', 'no table was created or dropped');
});

test('readonly = 1 is a constraint: the user cannot change settings or lower readonly', async () => {
    const lower = await asDash('SELECT 1', { query: { readonly: '0' } });
    assert.equal(lower.headers['x-clickhouse-exception-code'], '164');
    const setting = await asDash('SELECT 1', { query: { max_result_rows: '5' } });
    assert.equal(setting.headers['x-clickhouse-exception-code'], '164');
    const same = await asDash('SELECT 1', { query: { readonly: '1' } });
    assert.equal(same.status, 200, same.text);
});

test('databases without a grant and file-reading table functions are ACCESS_DENIED (497)', async () => {
    for (const [sql, database] of [
        ['SELECT * FROM secret.s', 'city'],
        ['SELECT * FROM s', 'secret'],
        ['SELECT * FROM t AS a JOIN secret.s AS b ON a.x = b.x', 'city'],
        ["SELECT * FROM file('/etc/passwd', 'LineAsString')", 'city'],
    ]) {
        const r = await asDash(sql, { query: { database } });
        assert.equal(r.status, 403, `${sql}: ${r.text}`);
        assert.equal(r.headers['x-clickhouse-exception-code'], '497', sql);
    }
    const numbers = await asDash('SELECT count() FROM numbers(10)', { query: { database: 'city' } });
    assert.equal(numbers.text, '10\n');
});

test('the read-only user cannot manage users', async () => {
    const r = await asDash("CREATE USER evil IDENTIFIED BY 'x'");
    assert.equal(r.headers['x-clickhouse-exception-code'], '164'); // refused as a write first
    const grant = await asDash('GRANT SELECT ON secret.* TO dashboard', { query: { readonly: '1' } });
    assert.notEqual(grant.status, 200);
});

test('wrong password of a SQL-defined user: 403, code 516; the password is never logged', async () => {
    const r = await request(srv.url, { body: 'SELECT 1', headers: { Authorization: basic('dashboard', 'nope') } });
    assert.equal(r.status, 403);
    assert.equal(r.headers['x-clickhouse-exception-code'], '516');
    assert.ok(!srv.stderr().includes(DASH_PASSWORD));
    assert.ok(!srv.stderr().includes(DASH_SHA256));
});

test('the administrator keeps its rights; unknown users stay refused when a user is configured', async () => {
    assert.equal(await query(srv.url, 'SELECT count() FROM secret.s', {}, ADMIN), '1\n');
    const other = await request(srv.url, { body: 'SELECT 1', headers: { Authorization: basic('someone', 'x') } });
    assert.equal(other.headers['x-clickhouse-exception-code'], '516');
});

test('CREATE USER is re-runnable, refuses duplicates and malformed hashes; DROP USER removes', async () => {
    const admin = (sql) => request(srv.url, { body: sql, headers: ADMIN });
    assert.equal((await admin(`CREATE USER IF NOT EXISTS dashboard IDENTIFIED WITH sha256_hash BY '${DASH_SHA256}' SETTINGS readonly = 1`)).status, 200);
    const dup = await admin("CREATE USER dashboard IDENTIFIED BY 'x'");
    assert.equal(dup.headers['x-clickhouse-exception-code'], '493');
    const bad = await admin("CREATE USER u2 IDENTIFIED WITH sha256_hash BY 'abc'");
    assert.equal(bad.headers['x-clickhouse-exception-code'], '36');
    assert.ok(!bad.text.includes("'abc'"), 'the message does not repeat the secret');
    const unknown = await admin('GRANT SELECT ON city.* TO nobody');
    assert.equal(unknown.headers['x-clickhouse-exception-code'], '192');
    assert.equal((await admin("CREATE USER tmp_user IDENTIFIED WITH plaintext_password BY 'p' SETTINGS readonly = 1")).status, 200);
    assert.equal((await request(srv.url, { body: 'SELECT 7', headers: { Authorization: basic('tmp_user', 'p') } })).text, '7\n');
    assert.equal((await admin('DROP USER tmp_user')).status, 200);
    const gone = await request(srv.url, { body: 'SELECT 7', headers: { Authorization: basic('tmp_user', 'p') } });
    assert.equal(gone.headers['x-clickhouse-exception-code'], '516');
    assert.equal((await admin('DROP USER IF EXISTS tmp_user')).status, 200);
});

test('SQL-defined users and their grants survive a restart; the file holds no password', async () => {
    const dataDir = tempDir();
    try {
        let s = await startServer({ dataDir });
        await query(s.url, 'CREATE DATABASE d');
        await query(s.url, 'CREATE TABLE d.t (x UInt8) ENGINE = MergeTree ORDER BY x');
        await query(s.url, "CREATE USER r IDENTIFIED WITH sha256_password BY 'pw-r' SETTINGS readonly = 1");
        await query(s.url, 'GRANT SELECT ON d.* TO r');
        assert.equal(await s.stop(), 0);
        assert.ok(!fs.readFileSync(path.join(dataDir, 'citypulse-access.json'), 'utf8').includes('pw-r'));
        s = await startServer({ dataDir });
        try {
            const ok = await request(s.url, { body: 'SELECT count() FROM d.t', headers: { Authorization: basic('r', 'pw-r') } });
            assert.equal(ok.text, '0\n');
            const write = await request(s.url, { body: 'INSERT INTO d.t VALUES (1)', headers: { Authorization: basic('r', 'pw-r') } });
            assert.equal(write.headers['x-clickhouse-exception-code'], '164');
            // without a configured user, other names are still accepted as before
            assert.equal((await request(s.url, { body: 'SELECT 1' })).status, 200);
            const wrong = await request(s.url, { body: 'SELECT 1', headers: { Authorization: basic('r', 'bad') } });
            assert.equal(wrong.headers['x-clickhouse-exception-code'], '516');
        } finally {
            assert.equal(await s.stop(), 0);
        }
    } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
});
