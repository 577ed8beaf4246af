'use strict';
// Shared helpers of the adapter tests: start server.js as a child process on a free
// port with a temporary data directory, and make HTTP requests to it.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const SERVER = path.join(__dirname, '..', 'server.js');

function tempDir(prefix = 'chhttp-test-') {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Start the adapter. Resolves once it printed its "listening on" line.
 * @returns {Promise<{url: string, port: number, dataDir: string, proc: import('child_process').ChildProcess,
 *   stderr: () => string, stop: () => Promise<number>}>}
 */
function startServer({ dataDir = tempDir(), args = [], env = {} } = {}) {
    return new Promise((resolve, reject) => {
        const childEnv = { ...process.env, ...env };
        if (!('CLICKHOUSE_ADAPTER_USER' in env)) delete childEnv.CLICKHOUSE_ADAPTER_USER;
        if (!('CLICKHOUSE_ADAPTER_PASSWORD' in env)) delete childEnv.CLICKHOUSE_ADAPTER_PASSWORD;
        const proc = spawn(process.execPath, [SERVER, '--host', '127.0.0.1', '--port', '0', '--path', dataDir, ...args], {
            env: childEnv,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        let started = false;
        const exited = new Promise((res) => proc.on('exit', (code, signal) => res(code === null ? signal : code)));
        proc.stderr.on('data', (d) => {
            err += d;
        });
        proc.stdout.on('data', (d) => {
            out += d;
            const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(out);
            if (m && !started) {
                started = true;
                const port = Number(m[1]);
                resolve({
                    url: `http://127.0.0.1:${port}`,
                    port,
                    dataDir,
                    proc,
                    stdout: () => out,
                    stderr: () => err,
                    exited,
                    stop: async () => {
                        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
                        return exited;
                    },
                });
            }
        });
        exited.then((code) => {
            if (!started) reject(new Error(`server exited (${code}) before listening: ${err}`));
        });
    });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request. `path` may include a query string; `query` is added as URL parameters.
 * @returns {Promise<{status: number, headers: object, body: Buffer, text: string}>}
 */
function request(base, { method = 'POST', path: p = '/', query, headers = {}, body } = {}) {
    const url = new URL(p, base);
    if (query) for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, headers, agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                const b = Buffer.concat(chunks);
                resolve({ status: res.statusCode, headers: res.headers, body: b, text: b.toString('utf8') });
            });
            res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
    });
}

/** POST a query and return its text result; throws if the status is not 200. */
async function query(base, sql, query = {}, headers = {}) {
    const r = await request(base, { body: sql, query, headers });
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.text}`);
    return r.text;
}

module.exports = { startServer, request, query, tempDir, agent };
