'use strict';
// The command line interface other scripts rely on.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const SERVER = path.join(__dirname, '..', 'server.js');
const run = (...args) => spawnSync(process.execPath, [SERVER, ...args], { encoding: 'utf8', timeout: 30000 });

test('--help prints the usage and exits 0', () => {
    const r = run('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: node server\.js --path DIR/);
    for (const option of ['--host', '--port', '--path', '--user', '--password-file']) assert.ok(r.stdout.includes(option), option);
});

test('bad command lines exit non-zero with a message', () => {
    const noPath = run('--port', '0');
    assert.notEqual(noPath.status, 0);
    assert.match(noPath.stderr, /--path DIR is required/);
    const unknown = run('--path', '/tmp/x', '--bogus');
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /unknown argument '--bogus'/);
    const badPort = run('--path', '/tmp/x', '--port', 'http');
    assert.notEqual(badPort.status, 0);
    assert.match(badPort.stderr, /invalid port/);
    const missingFile = run('--path', '/tmp/x', '--password-file', '/nonexistent/pw');
    assert.notEqual(missingFile.status, 0);
    assert.match(missingFile.stderr, /cannot read the password file/);
});
