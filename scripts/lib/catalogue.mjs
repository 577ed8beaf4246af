#!/usr/bin/env node
// Loads the catalogue of matters (jobs/src/main/resources/io/citypulse/catalogue/{majors,catalogue}.csv)
// into the ClickHouse dimension table `catalogue` (sql/005_catalogue.sql). Dependency-free; talks to
// ClickHouse through scripts/lib/clickhouse.mjs, so URL, database and credentials work the same way
// (CLICKHOUSE_URL, CLICKHOUSE_DATABASE, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, --url, --database).
//
//   node scripts/lib/catalogue.mjs load [--url URL] [--database DB] [--dir DIR]
//   node scripts/lib/catalogue.mjs rows [--dir DIR]      (print the rows as JSON lines, no server)
//
// A load inserts every item with version = now (ms) and then deletes the rows of older versions:
// re-runnable, idempotent, and the table is never empty while it runs.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const DEFAULT_DIR = join(REPO_ROOT, 'jobs', 'src', 'main', 'resources', 'io', 'citypulse', 'catalogue');
const MAJORS_HEADER = 'major,name,name_zh';
const ITEMS_HEADER = 'code,major,agency,resolution_hours,dispatch_limit_minutes,name,name_zh';

class UsageError extends Error {}
class LoadError extends Error {}

/** Data rows of one catalogue CSV file (comments and blank lines skipped, header checked). */
function csvRows(file, header) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LoadError(`cannot read ${file}: ${e.message}`);
  }
  const columns = header.split(',').length;
  const rows = [];
  let seenHeader = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!seenHeader) {
      if (line !== header) throw new LoadError(`${file}:${index + 1}: expected header '${header}'`);
      seenHeader = true;
      return;
    }
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== columns) {
      throw new LoadError(`${file}:${index + 1}: expected ${columns} columns, found ${cells.length}`);
    }
    rows.push({ line: index + 1, cells });
  });
  if (!seenHeader) throw new LoadError(`${file}: no header '${header}'`);
  return rows;
}

/** The rows of the `catalogue` table (without version), in file order. */
export function catalogueRows(dir = DEFAULT_DIR) {
  const majorsFile = join(dir, 'majors.csv');
  const itemsFile = join(dir, 'catalogue.csv');
  const majors = new Map();
  for (const { cells } of csvRows(majorsFile, MAJORS_HEADER)) {
    majors.set(cells[0], { rank: majors.size + 1, name: cells[1], nameZh: cells[2] });
  }
  const rankInMajor = new Map();
  const seen = new Set();
  const rows = [];
  for (const { line, cells } of csvRows(itemsFile, ITEMS_HEADER)) {
    const [code, major, agency, hours, limit, name, nameZh] = cells;
    const where = `${itemsFile}:${line}`;
    const m = majors.get(major);
    if (!m) throw new LoadError(`${where}: unknown major ${major}`);
    if (!code.startsWith(`${major}-`)) throw new LoadError(`${where}: ${code} does not start with ${major}-`);
    if (seen.has(code)) throw new LoadError(`${where}: duplicate item code ${code}`);
    seen.add(code);
    if (!/^[1-9][0-9]*$/.test(hours)) throw new LoadError(`${where}: resolution_hours must be a positive whole number`);
    if (limit !== '' && !/^[0-9]+$/.test(limit)) throw new LoadError(`${where}: dispatch_limit_minutes must be empty or a whole number`);
    const rank = (rankInMajor.get(major) ?? 0) + 1;
    rankInMajor.set(major, rank);
    rows.push({
      category_code: code,
      category_major: major,
      item_name_en: name,
      item_name_zh: nameZh,
      major_name_en: m.name,
      major_name_zh: m.nameZh,
      agency,
      default_resolution_hours: Number(hours),
      dispatch_limit_minutes: limit === '' || limit === '0' ? null : Number(limit),
      major_rank: m.rank,
      item_rank: rank,
    });
  }
  return rows;
}

/** Runs one statement through clickhouse.mjs (same endpoint, database and credentials rules). */
function clickhouse(opts, sql) {
  const args = [join(HERE, 'clickhouse.mjs'), 'query', '-'];
  if (opts.url !== undefined) args.push('--url', opts.url);
  if (opts.database !== undefined) args.push('--database', opts.database);
  const result = spawnSync(process.execPath, args, { input: sql, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.error) throw new LoadError(`cannot run clickhouse.mjs: ${result.error.message}`);
  if (result.status !== 0) throw new LoadError((result.stderr || '').trim().replace(/^error: /, '') || `clickhouse.mjs exited with ${result.status}`);
  return result.stdout;
}

function load(opts) {
  const rows = catalogueRows(opts.dir ?? DEFAULT_DIR);
  const version = Date.now();
  const body = rows.map((row) => JSON.stringify({ ...row, version })).join('\n');
  clickhouse(
    opts,
    'INSERT INTO catalogue (category_code, category_major, item_name_en, item_name_zh, major_name_en, ' +
      'major_name_zh, agency, default_resolution_hours, dispatch_limit_minutes, major_rank, item_rank, version) ' +
      `FORMAT JSONEachRow\n${body}\n`,
  );
  // Older loads (including items no longer in the file) go only after the new one is in.
  clickhouse(opts, `DELETE FROM catalogue WHERE version < ${version}`);
  const counted = clickhouse(opts, 'SELECT count() AS items, uniqExact(category_major) AS majors FROM catalogue FINAL FORMAT JSONEachRow');
  const { items, majors } = JSON.parse(counted.trim());
  if (Number(items) !== rows.length) {
    throw new LoadError(`loaded ${rows.length} items but the table holds ${items}`);
  }
  console.log(`catalogue: loaded ${items} items in ${majors} major categories (version ${version})`);
}

function rowsCommand(opts) {
  for (const row of catalogueRows(opts.dir ?? DEFAULT_DIR)) console.log(JSON.stringify(row));
}

const USAGE = `usage: scripts/load-catalogue [--url URL] [--database DB] [--dir DIR]
       node scripts/lib/catalogue.mjs load|rows [options]

Loads the catalogue of matters (majors.csv and catalogue.csv in
jobs/src/main/resources/io/citypulse/catalogue/) into the ClickHouse table \`catalogue\`
(created by sql/005_catalogue.sql; run the migrations first). Re-runnable: each load replaces the
previous one. 'rows' prints the rows as JSON lines without touching ClickHouse.

options:
  --url URL        ClickHouse HTTP endpoint (default: $CLICKHOUSE_URL or http://127.0.0.1:18123)
  --database DB    database holding the table (default: $CLICKHOUSE_DATABASE or default)
  --dir DIR        folder with majors.csv and catalogue.csv (default: the shipped catalogue)
  -h, --help       this text

environment: CLICKHOUSE_URL, CLICKHOUSE_DATABASE, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD.
exit status: 0 ok, 1 bad catalogue file or ClickHouse error, 2 usage error.`;

function parseArgs(argv) {
  const opts = { positional: [] };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      opts.positional.push(arg);
      continue;
    }
    let value;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (!['--url', '--database', '--dir'].includes(arg)) throw new UsageError(`unknown option ${arg}`);
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      value = argv[++i];
    }
    opts[arg.slice(2)] = value;
  }
  return opts;
}

function main(argv) {
  try {
    const opts = parseArgs(argv);
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    const command = opts.positional.shift() ?? 'load';
    if (opts.positional.length > 0) throw new UsageError(`unexpected argument ${opts.positional[0]}`);
    if (command === 'load') load(opts);
    else if (command === 'rows') rowsCommand(opts);
    else throw new UsageError(`unknown command ${command}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof LoadError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
