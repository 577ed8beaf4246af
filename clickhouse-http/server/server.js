#!/usr/bin/env node
'use strict';
// CityPulse ClickHouse HTTP adapter: serves the ClickHouse HTTP interface on top of one
// persistent chDB (embedded ClickHouse) session. See ../README.md.
const fs = require('node:fs');
const http = require('node:http');
const { Engine } = require('./lib/engine');
const { Authenticator } = require('./lib/auth');
const { AccessStore } = require('./lib/access');
const { createHandler } = require('./lib/http');

const USAGE = `Usage: node server.js --path DIR [--host HOST] [--port PORT] [--user NAME] [--password-file FILE]

Serves the ClickHouse HTTP interface (queries, settings as URL parameters, errors with
X-ClickHouse-Exception-Code, /ping, compression) on top of one persistent chDB session
whose data lives in DIR.

Options:
  --path DIR             data directory of the chDB session (created if missing; required)
  --host HOST            address to listen on (default 127.0.0.1)
  --port PORT            port to listen on (default 18123; 0 picks a free port)
  --user NAME            require this user name (default: env CLICKHOUSE_ADAPTER_USER;
                         if no user is configured, any credentials are accepted)
  --password-file FILE   file holding the user's password (default: env
                         CLICKHOUSE_ADAPTER_PASSWORD, else empty)
  --quiet                do not log failed queries to stderr
  --log-queries          log the start of every query text to stderr (debugging)
  -h, --help             print this help

Users created with SQL (CREATE USER ... SETTINGS readonly = 1, GRANT SELECT ON db.* TO ...)
are kept in DIR/citypulse-access.json and enforced by the adapter (see ../README.md).

Once ready it prints "listening on http://HOST:PORT" to stdout.
SIGTERM / SIGINT finish running requests, close the chDB session and exit 0.
`;

function fail(msg) {
    process.stderr.write(`error: ${msg}\nRun with --help for usage.\n`);
    process.exit(2);
}

function parseArgs(argv) {
    const opts = { host: '127.0.0.1', port: 18123, path: null, user: null, passwordFile: null, quiet: false, logQueries: false };
    for (let i = 0; i < argv.length; i++) {
        let arg = argv[i];
        let value = null;
        const eq = arg.indexOf('=');
        if (arg.startsWith('--') && eq > 0) {
            value = arg.slice(eq + 1);
            arg = arg.slice(0, eq);
        }
        const next = () => {
            if (value !== null) return value;
            if (i + 1 >= argv.length) fail(`${arg} needs a value`);
            return argv[++i];
        };
        switch (arg) {
            case '-h':
            case '--help':
                process.stdout.write(USAGE);
                process.exit(0);
                break;
            case '--host':
                opts.host = next();
                break;
            case '--port': {
                const v = next();
                if (!/^\d+$/.test(v) || Number(v) > 65535) fail(`invalid port '${v}'`);
                opts.port = Number(v);
                break;
            }
            case '--path':
                opts.path = next();
                break;
            case '--user':
                opts.user = next();
                break;
            case '--password-file':
                opts.passwordFile = next();
                break;
            case '--quiet':
                opts.quiet = true;
                break;
            case '--log-queries':
                opts.logQueries = true;
                break;
            default:
                fail(`unknown argument '${arg}'`);
        }
    }
    if (!opts.path) fail('--path DIR is required');
    return opts;
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    let user = opts.user || process.env.CLICKHOUSE_ADAPTER_USER || null;
    let password = process.env.CLICKHOUSE_ADAPTER_PASSWORD || '';
    if (opts.passwordFile) {
        try {
            password = fs.readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, '');
        } catch (e) {
            fail(`cannot read the password file: ${e.code || e.message}`);
        }
    }
    if (!user && (opts.passwordFile || process.env.CLICKHOUSE_ADAPTER_PASSWORD)) user = 'default';

    const log = (msg) => {
        if (!opts.quiet || msg.startsWith('internal')) process.stderr.write(`[clickhouse-http] ${msg}\n`);
    };
    const engine = new Engine({ path: opts.path, log });
    try {
        await engine.open();
    } catch (e) {
        process.stderr.write(`error: cannot open the chDB session at ${opts.path}: ${e.message}\n`);
        process.exit(1);
    }
    let access;
    try {
        access = AccessStore.forDataDir(opts.path, ['default', user].filter(Boolean));
    } catch (e) {
        process.stderr.write(`error: cannot read the users of ${opts.path}: ${e.message}\n`);
        process.exit(1);
    }
    const auth = new Authenticator({ user, password, access });
    const server = http.createServer({ keepAlive: true }, createHandler({ engine, auth, log, logQueries: opts.logQueries }));
    server.keepAliveTimeout = 10_000; // ClickHouse's default keep_alive_timeout
    server.headersTimeout = 60_000;
    server.requestTimeout = 0; // big uploads and long queries are fine

    let stopping = false;
    const stop = async (signal) => {
        if (stopping) return;
        stopping = true;
        log(`${signal} received, shutting down`);
        // stop accepting connections; running requests finish, idle keep-alive
        // connections are closed as soon as they become idle
        const closed = new Promise((resolve) => server.close(() => resolve()));
        const sweeper = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => server.closeAllConnections(), 30_000);
        server.closeIdleConnections();
        await closed;
        clearInterval(sweeper);
        clearTimeout(force);
        try {
            await engine.close();
        } catch (e) {
            log(`closing the chDB session failed: ${e.message}`);
            process.exit(1);
        }
        process.exit(0);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));

    server.on('error', (e) => {
        process.stderr.write(`error: cannot listen on ${opts.host}:${opts.port}: ${e.message}\n`);
        engine.close().finally(() => process.exit(1));
    });
    server.listen(opts.port, opts.host, () => {
        const addr = server.address();
        const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
        process.stdout.write(`listening on http://${host}:${addr.port}\n`);
    });
}

main().catch((e) => {
    process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
