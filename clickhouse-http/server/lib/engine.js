'use strict';
// The single persistent chDB session and the queue that serializes work on it.
//
// A chDB connection runs one query at a time and keeps per-connection state (current
// database, settings). ClickHouse's HTTP interface, on the other hand, gives every
// request a fresh context. So every job runs as
//     USE <db>; SET k = 'v'; ...; <query>
// on the one connection, strictly one job after the other, and before the next job
// the settings changed by the previous one are put back (SET k = DEFAULT, or the
// engine's startup value). If putting them back fails (a tiny max_query_size, say, can
// make the connection refuse further SETs) the session is closed and reopened on the
// same path, which restores a clean state. After a client's own SET statement (over
// HTTP without a session it affects nothing after its request) the session is reopened
// as well: its effects cannot be observed reliably (readonly=1 even forbids undoing it).
//
// The native entry points of the chdb package are used directly (the package's
// Session object only owns the connection): they accept query parameters in their
// raw HTTP (escaped) form, report written rows for inserts, and take INSERT payloads
// as Buffers, zero-copy. Inline data is read as the tail of the query text, though,
// which chDB ends at the first empty line: binary data (RowBinary, Native, ...) may
// hold two bytes 0x0A in a row anywhere, so it goes through a file instead
// (job.dataFile: INSERT ... FROM INFILE, the file written first and removed after).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ChError, fromEngineError } = require('./errors');

function loadChdb() {
    const chdb = require('chdb');
    const dir = path.dirname(require.resolve('chdb'));
    const native = require(path.join(dir, 'dist', 'loader.js')).loadNative();
    for (const fn of ['QueryAsyncConnection', 'InsertRawAsyncConnection']) {
        if (typeof native[fn] !== 'function') {
            throw new Error(`the installed chdb package lacks the native ${fn} entry point (expected chdb 3.4.0)`);
        }
    }
    return { Session: chdb.Session, native };
}

function quoteIdentifier(name) {
    return '`' + String(name).replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

function quoteString(value) {
    return "'" + String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function parseTsv(text) {
    return text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => l.split('\t'));
}

class Engine {
    /**
     * @param {object} opts
     * @param {string} opts.path data directory (created if missing)
     * @param {(msg: string) => void} [opts.log]
     */
    constructor({ path: dataPath, log }) {
        this.path = path.resolve(dataPath);
        this.log = log || (() => {});
        this.session = null;
        this.native = null;
        this.tail = Promise.resolve();
        this.pending = 0;
        this.pendingReset = new Set(); // settings to put back before the next job
        this.reopenBeforeNext = false; // a SET statement ran: use a fresh connection next
        this.baseline = new Map(); // settings the engine itself starts with changed
        this.settingNames = new Set();
        this.version = '';
        this.timezone = 'UTC';
        this.closed = false;
        this.reopens = 0;
        this.insertDir = null; // private directory of the binary inserts' data files
        this.insertFiles = 0;
    }

    async open() {
        fs.mkdirSync(this.path, { recursive: true });
        const { Session, native } = loadChdb();
        this.SessionClass = Session;
        this.native = native;
        this._connect();
        const info = await this._query("SELECT version(), timezone() FORMAT TabSeparated");
        [[this.version, this.timezone]] = parseTsv(info);
        for (const [name, value] of parseTsv(
            await this._query('SELECT name, value FROM system.settings WHERE changed FORMAT TabSeparatedRaw'),
        )) {
            this.baseline.set(name, value);
        }
        for (const [name] of parseTsv(await this._query('SELECT name FROM system.settings FORMAT TabSeparatedRaw'))) {
            this.settingNames.add(name);
        }
    }

    _connect() {
        // Load every database before the first query is accepted, so a table that
        // exists on disk is never reported missing right after a restart.
        this.session = new this.SessionClass(this.path, {
            connectionArgs: [
                '--async_load_databases=0',
                '--async_load_system_database=0',
                // chDB turns asynchronous inserts on by default; a ClickHouse server does not
                '--async_insert=0',
                // a ClickHouse server does not run bare expressions ("1 + 1") as SELECTs
                '--implicit_select=0',
            ],
        });
    }

    async _query(sql) {
        const r = await this.native.QueryAsyncConnection(this.session.connection, sql, 'TabSeparated');
        return Buffer.from(r.bytes).toString('utf8');
    }

    isSetting(name) {
        return this.settingNames.has(name);
    }

    /** Number of jobs queued or running. */
    get queued() {
        return this.pending;
    }

    /**
     * Run one job on the session, after all previously submitted jobs.
     * @param {object} job
     * @param {string} job.database current database for the job
     * @param {Array<[string,string]>} job.settings per-query settings
     * @param {string} [job.sql] query text (query path)
     * @param {string} [job.format] default output format (query path)
     * @param {object|null} [job.params] query parameters name -> escaped value
     * @param {string} [job.insertPrefix] INSERT statement text (raw insert path)
     * @param {Buffer} [job.data] INSERT payload (raw insert path)
     * @param {boolean} [job.dataFile] job.data is binary: insertPrefix is the INSERT statement up to
     *   and including its FORMAT clause, and the data is read from a file (INSERT ... FROM INFILE)
     * @param {boolean} [job.changesSettings] the query is a SET statement
     */
    submit(job) {
        if (this.closed) return Promise.reject(new ChError(210, 'NETWORK_ERROR', 'The server is shutting down'));
        this.pending++;
        const run = this.tail.then(() => this._run(job));
        this.tail = run.then(
            () => {},
            () => {},
        );
        return run.finally(() => {
            this.pending--;
        });
    }

    async _run(job) {
        await this._restoreSettings();
        const statements = [`USE ${quoteIdentifier(job.database || 'default')}`];
        for (const [name, value] of job.settings) {
            statements.push(`SET ${name} = ${quoteString(value)}`);
            this.pendingReset.add(name);
        }
        if (job.changesSettings) this.reopenBeforeNext = true;
        const prefix = statements.join('; ') + ';\n';
        const conn = this.session.connection;
        const started = process.hrtime.bigint();
        try {
            if (job.data !== undefined && job.dataFile) {
                const file = this._insertFile();
                try {
                    await fs.promises.writeFile(file, job.data);
                    const sql = fromInfile(job.insertPrefix, file);
                    const r = await this.native.InsertRawAsyncConnection(conn, prefix + sql, Buffer.alloc(0), false);
                    return insertResult(r, started);
                } finally {
                    await fs.promises.rm(file, { force: true });
                }
            }
            if (job.data !== undefined) {
                const r = await this.native.InsertRawAsyncConnection(conn, prefix + job.insertPrefix, job.data, false);
                return insertResult(r, started);
            }
            const r = job.params
                ? await this.native.QueryAsyncConnection(conn, prefix + job.sql, job.format, job.params)
                : await this.native.QueryAsyncConnection(conn, prefix + job.sql, job.format);
            const bytes = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
            return {
                bytes,
                resultRows: r.rowsRead || 0,
                resultBytes: r.bytesRead || 0,
                writtenRows: 0,
                writtenBytes: 0,
                elapsedNs: Number(process.hrtime.bigint() - started),
            };
        } catch (e) {
            throw cleanEngineError(fromEngineError(e));
        }
    }

    async _restoreSettings() {
        if (this.reopenBeforeNext) {
            // A SET statement ran: its effects are not reliably observable (some settings,
            // e.g. limit, even distort system.settings), so start from a fresh connection.
            this._reopen();
        } else if (this.pendingReset.size > 0) {
            const assignments = [...this.pendingReset].map((n) =>
                this.baseline.has(n) ? `${n} = ${quoteString(this.baseline.get(n))}` : `${n} = DEFAULT`,
            );
            try {
                await this._query('SET ' + assignments.join(', '));
            } catch (e) {
                this.log(`could not restore settings (${e.message.split('\n')[0]}); reopening the chDB session`);
                this._reopen();
            }
        }
        this.pendingReset.clear();
        this.reopenBeforeNext = false;
    }

    _reopen() {
        try {
            this.session.close();
        } catch (_) {
            // ignore: a fresh connection is opened below anyway
        }
        this._connect();
        this.reopens++;
    }

    /** A new path for the data of a binary insert, in a directory only this process uses. */
    _insertFile() {
        if (this.insertDir === null) {
            this.insertDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citypulse-chdb-inserts-'));
        }
        return path.join(this.insertDir, `${++this.insertFiles}.bin`);
    }

    /** Wait for queued jobs, then close the session. */
    async close() {
        if (this.closed) return;
        this.closed = true;
        await this.tail;
        if (this.session) {
            this.session.close();
            this.session = null;
        }
        if (this.insertDir !== null) {
            fs.rmSync(this.insertDir, { recursive: true, force: true });
            this.insertDir = null;
        }
    }
}

/** What an insert job returns: no result rows, the rows and bytes the engine wrote. */
function insertResult(r, started) {
    return {
        bytes: Buffer.alloc(0),
        resultRows: 0,
        resultBytes: 0,
        writtenRows: r.rowsWritten || 0,
        writtenBytes: r.bytesWritten || 0,
        elapsedNs: Number(process.hrtime.bigint() - started),
    };
}

/**
 * An INSERT statement that ends with its FORMAT clause, reading its data from `file`:
 * "INSERT INTO t (a, b) FORMAT RowBinary" becomes "INSERT INTO t (a, b) FROM INFILE '...' FORMAT
 * RowBinary". (The adapter refuses a binary insert with a SETTINGS clause, which would have to
 * come after FROM INFILE.)
 */
function fromInfile(statement, file) {
    const m = /\bFORMAT\s+\S+\s*$/i.exec(statement);
    if (m === null) throw new ChError(62, 'SYNTAX_ERROR', 'A binary INSERT must end with its FORMAT clause');
    return statement.slice(0, m.index) + `FROM INFILE ${quoteString(file)} ` + statement.slice(m.index);
}

// chDB sometimes wraps the same exception several times:
// "Code: 73. DB::Exception: Code: 73. DB::Exception: Unknown format X. (UNKNOWN_FORMAT) (version ...). (UNKNOWN_FORMAT)"
function cleanEngineError(err) {
    if (!err.full) return err;
    const marker = `Code: ${err.code}. DB::Exception: `;
    const first = err.full.indexOf(marker);
    const last = err.full.lastIndexOf(marker);
    let text = err.full;
    if (first !== last) {
        let inner = err.full.slice(last + marker.length);
        const tag = `(${err.chName})`;
        const t = inner.indexOf(tag);
        if (t >= 0) inner = inner.slice(0, t + tag.length);
        text = marker + inner;
    }
    text = text.replace(/ \(version [^)]*\)\s*$/, '').trim();
    return new ChError(err.code, err.chName, text.replace(/^Code: \d+\. (DB::Exception: )?/, ''), text);
}

module.exports = { Engine, quoteIdentifier, quoteString };
