#!/usr/bin/env node
// A small ClickHouse HTTP client for the scripts: migrations, ad-hoc queries, ping.
// Dependency-free (Node 20: fetch, ESM); works against the local chDB adapter and a real server.
//
//   node scripts/lib/clickhouse.mjs migrate [--dir sql] [--database DB] [--url URL]
//   node scripts/lib/clickhouse.mjs query "SELECT 1 FORMAT JSONEachRow" [--database DB] [--set K=V]
//   node scripts/lib/clickhouse.mjs ping [--wait SECONDS]
//
// Migrations are the sql/*.sql files in lexical order. Each file may hold several statements;
// a statement ends with ';' at the end of a line. Statements must be re-runnable
// (CREATE ... IF NOT EXISTS, ALTER ... ADD COLUMN IF NOT EXISTS): every run applies every file,
// so there is no bookkeeping table that could drift from the real schema.
// Two placeholders keep secrets and names out of the files (sql/users/): {{database}} becomes the
// target database (quoted), {{sha256:NAME}} the hex SHA-256 of the environment variable NAME, or
// of the content of the file named by NAME_FILE (one trailing line break dropped).

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_URL = 'http://127.0.0.1:18123';

const USAGE = `usage: node scripts/lib/clickhouse.mjs COMMAND [options]

commands:
  migrate            apply every *.sql file of --dir in lexical order (re-runnable statements;
                     several per file, each ending with ';' at the end of a line);
                     {{database}} and {{sha256:NAME}} (SHA-256 of $NAME or of the file
                     $NAME_FILE) are filled in, e.g. for sql/users/
  query [SQL|-]      run one statement and print the response body as is
                     (no SQL or '-': read the statement from standard input;
                     put '--' before SQL that starts with '--')
  ping               check that the server answers GET /ping with "Ok."

options:
  --url URL          server (default: $CLICKHOUSE_URL or ${DEFAULT_URL})
  --database DB      database for the statements (default: $CLICKHOUSE_DATABASE, the database=
                     parameter of the URL, or "default"); migrate creates it if needed
  --dir DIR          migrate: folder of the .sql files (default: sql/ of the repository)
  --set KEY=VALUE    query: extra URL parameter, e.g. a setting or param_NAME (repeatable)
  --wait SECONDS     ping: keep trying this long before giving up (default: 0, one try)
  --timeout SECONDS  per request (default: 300)
  -h, --help         this text

environment: CLICKHOUSE_URL, CLICKHOUSE_DATABASE, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD
(credentials are sent as HTTP Basic auth and never printed).
exit status: 0 ok, 1 server or connection error, 2 usage error.`;

class UsageError extends Error {}

/** An error to report as one line on stderr, with exit status 1. */
class ClickHouseError extends Error {}

function parseArgs(argv) {
  const opts = { positional: [], set: [] };
  const takesValue = new Set(['--url', '--database', '--dir', '--set', '--wait', '--timeout']);
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '--') {
      opts.positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
      continue;
    }
    if (arg === '-' || !arg.startsWith('--')) {
      opts.positional.push(arg);
      continue;
    }
    let value;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (!takesValue.has(arg)) throw new UsageError(`unknown option ${arg}`);
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      value = argv[++i];
    }
    if (arg === '--set') opts.set.push(value);
    else opts[arg.slice(2)] = value;
  }
  return opts;
}

function seconds(value, name, fallback) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of seconds`);
  return n;
}

/**
 * Resolves the endpoint: URL without credentials (fetch refuses them), auth header from the
 * environment or from user:password@ in the URL, and the database to use.
 */
function endpoint(opts) {
  const raw = opts.url ?? process.env.CLICKHOUSE_URL ?? DEFAULT_URL;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new ClickHouseError('the ClickHouse URL is not a valid http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClickHouseError(`the ClickHouse URL must be http(s), not ${url.protocol}`);
  }
  let user = process.env.CLICKHOUSE_USER;
  let password = process.env.CLICKHOUSE_PASSWORD;
  if (url.username) {
    user ??= decodeURIComponent(url.username);
    password ??= decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
  }
  const headers = {};
  if (user !== undefined && user !== '') {
    headers.Authorization =
      'Basic ' + Buffer.from(`${user}:${password ?? ''}`, 'utf8').toString('base64');
  }
  const database =
    opts.database ??
    process.env.CLICKHOUSE_DATABASE ??
    url.searchParams.get('database') ??
    'default';
  // What may be shown to a person: no credentials, no query string (it may carry a password).
  const display = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  return { url, headers, database, display, timeoutMs: seconds(opts.timeout, '--timeout', 300) * 1000 };
}

async function post(ep, sql, params = {}) {
  const url = new URL(ep.url);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...ep.headers, 'Content-Type': 'text/plain; charset=utf-8' },
      body: sql,
      signal: AbortSignal.timeout(ep.timeoutMs),
    });
  } catch (e) {
    throw new ClickHouseError(`cannot reach ClickHouse at ${ep.display}: ${describe(e)}`);
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).trim();
    const code = response.headers.get('x-clickhouse-exception-code');
    throw new ClickHouseError(
      `ClickHouse at ${ep.display} answered HTTP ${response.status}` +
        (code ? ` (exception code ${code})` : '') +
        (body ? `: ${body}` : ''),
    );
  }
  return response;
}

function describe(e) {
  if (e?.name === 'TimeoutError') return 'timed out';
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ?? e?.message ?? String(e);
}

function quoteIdentifier(name) {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * Splits a migration file into statements: a statement ends at a line whose last non-blank
 * character is ';' (lines that are '--' comments do not end statements). Pieces holding only
 * comments or blanks are dropped, since the server rejects an empty query.
 */
export function splitStatements(text) {
  const statements = [];
  let lines = [];
  const flush = () => {
    const statement = lines.join('\n').trim();
    lines = [];
    const withoutComments = statement
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/--.*$/gm, '')
      .trim();
    if (withoutComments !== '') statements.push(statement);
  };
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(';') && !trimmed.trimStart().startsWith('--')) {
      lines.push(trimmed.slice(0, -1));
      flush();
    } else {
      lines.push(line);
    }
  }
  flush();
  return statements;
}

/** Fills in {{database}} and {{sha256:NAME}} (see the header); the values are never printed. */
export function fillPlaceholders(text, database, env = process.env) {
  return text.replace(/\{\{\s*(database|sha256:([A-Za-z_][A-Za-z0-9_]*))\s*\}\}/g, (_, what, name) => {
    if (what === 'database') return quoteIdentifier(database);
    let secret = env[name];
    if (secret === undefined && env[`${name}_FILE`] !== undefined) {
      try {
        secret = readFileSync(env[`${name}_FILE`], 'utf8').replace(/\r?\n$/, '');
      } catch (e) {
        throw new ClickHouseError(`cannot read ${name}_FILE: ${e.code ?? e.message}`);
      }
    }
    if (secret === undefined || secret === '') {
      throw new ClickHouseError(`set ${name} or ${name}_FILE: a migration needs it ({{sha256:${name}}})`);
    }
    return createHash('sha256').update(secret, 'utf8').digest('hex');
  });
}

async function migrate(opts) {
  if (opts.positional.length > 0) throw new UsageError(`migrate takes no arguments`);
  const ep = endpoint(opts);
  const dir = opts.dir !== undefined ? resolve(opts.dir) : join(REPO_ROOT, 'sql');
  let names;
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.sql') && statSync(join(dir, name)).isFile())
      .sort();
  } catch (e) {
    throw new ClickHouseError(`cannot read the migrations folder ${dir}: ${e.message}`);
  }
  if (ep.database !== 'default') {
    // Without the URL's database= parameter: that database may be the one to create.
    await post(ep, `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(ep.database)}`, { database: null });
  }
  let total = 0;
  for (const name of names) {
    let statements;
    try {
      statements = splitStatements(fillPlaceholders(readFileSync(join(dir, name), 'utf8'), ep.database));
    } catch (e) {
      if (e instanceof ClickHouseError) throw new ClickHouseError(`${name}: ${e.message}`);
      throw e;
    }
    for (const [index, statement] of statements.entries()) {
      try {
        const response = await post(ep, statement, { database: ep.database });
        await response.arrayBuffer();
      } catch (e) {
        if (e instanceof ClickHouseError) {
          throw new ClickHouseError(`${name}, statement ${index + 1}: ${e.message}`);
        }
        throw e;
      }
    }
    total += statements.length;
  }
  console.log(
    `clickhouse ${ep.display}: applied ${names.length} migration file(s), ${total} statement(s) ` +
      `from ${dir} to database ${ep.database}`,
  );
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function query(opts) {
  if (opts.positional.length > 1) {
    throw new UsageError('query takes one SQL argument (quote it)');
  }
  let sql = opts.positional[0];
  if (sql === undefined || sql === '-') {
    if (sql === undefined && process.stdin.isTTY) throw new UsageError('query needs SQL');
    sql = await readStdin();
  }
  if (sql.trim() === '') throw new UsageError('the query is empty');
  const ep = endpoint(opts);
  const params = { database: ep.database };
  for (const pair of opts.set) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects KEY=VALUE, got ${pair}`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const response = await post(ep, sql, params);
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  for await (const chunk of response.body) {
    if (!process.stdout.write(chunk)) {
      await new Promise((done) => process.stdout.once('drain', done));
    }
  }
}

async function ping(opts) {
  if (opts.positional.length > 0) throw new UsageError('ping takes no arguments');
  const ep = endpoint(opts);
  const url = new URL(ep.url);
  url.pathname = url.pathname.replace(/\/?$/, '/') + 'ping';
  url.search = '';
  const deadline = Date.now() + seconds(opts.wait, '--wait', 0) * 1000;
  let problem;
  for (;;) {
    try {
      const response = await fetch(url, {
        headers: ep.headers,
        signal: AbortSignal.timeout(Math.min(ep.timeoutMs, 5000)),
      });
      const body = (await response.text()).trim();
      if (response.ok && body === 'Ok.') {
        console.log('Ok.');
        return;
      }
      problem = `answered HTTP ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`;
    } catch (e) {
      problem = `cannot be reached: ${describe(e)}`;
    }
    if (Date.now() >= deadline) break;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new ClickHouseError(`ClickHouse at ${ep.display} ${problem}`);
}

const COMMANDS = { migrate, query, ping };

async function main(argv) {
  try {
    const opts = parseArgs(argv);
    const command = opts.positional.shift();
    if (opts.help || command === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (!command) throw new UsageError('missing command');
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${command}`);
    await COMMANDS[command](opts);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ClickHouseError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
