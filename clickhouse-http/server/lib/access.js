'use strict';
// SQL-defined users: the part of ClickHouse's access control a read-only reporting user needs.
//
//   CREATE USER [IF NOT EXISTS | OR REPLACE] name
//       [IDENTIFIED [WITH sha256_hash | sha256_password | plaintext_password] BY '...']
//       [SETTINGS readonly = 0|1|2 [CONST | READONLY]]
//   GRANT SELECT ON db.* | *.* TO name          REVOKE SELECT ON db.* | *.* FROM name
//   DROP USER [IF EXISTS] name
//
// chDB has no server-side access control of its own (every request runs on one session), so the
// adapter keeps these users itself, in <data dir>/citypulse-access.json (only SHA-256 digests of
// passwords). A request authenticated as such a user runs with the user's readonly level as a
// constraint (a URL parameter cannot lower it, as on ClickHouse) and only against databases the
// user holds SELECT on. The configured adapter user (or, without one, anyone) stays the
// administrator that may run these statements; SQL-defined users may not.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ChError } = require('./errors');

const IDENT = '(`(?:[^`\\\\]|\\\\.)+`|"(?:[^"\\\\]|\\\\.)+"|[A-Za-z_][A-Za-z0-9_]*)';
const STRING = "'((?:[^'\\\\]|\\\\.|'')*)'";
const DB_STAR = `(\\*|${IDENT})\\.\\*`;

const CREATE_RE = new RegExp(
    `^CREATE\\s+USER\\s+(IF\\s+NOT\\s+EXISTS\\s+|OR\\s+REPLACE\\s+)?${IDENT}` +
        `(?:\\s+(NOT\\s+IDENTIFIED|IDENTIFIED(?:\\s+WITH\\s+([A-Za-z0-9_]+))?\\s+BY\\s+${STRING}))?` +
        `(?:\\s+SETTINGS\\s+([\\s\\S]+?))?$`,
    'i',
);
const GRANT_RE = new RegExp(`^(GRANT|REVOKE)\\s+SELECT\\s+ON\\s+${DB_STAR}\\s+(TO|FROM)\\s+${IDENT}$`, 'i');
const DROP_RE = new RegExp(`^DROP\\s+USER\\s+(IF\\s+EXISTS\\s+)?${IDENT}$`, 'i');

// Table functions a read-only user may read from (they touch no storage outside the databases).
const SAFE_TABLE_FUNCTIONS = new Set(['numbers', 'numbers_mt', 'zeros', 'zeros_mt', 'values', 'generate_series']);

function unquoteIdent(s) {
    if (s.startsWith('`') || s.startsWith('"')) return s.slice(1, -1).replace(/\\(.)/g, '$1');
    return s;
}

function unquoteString(s) {
    return s.replace(/''/g, "'").replace(/\\(.)/g, '$1');
}

function sha256Hex(s) {
    return crypto.createHash('sha256').update(String(s), 'utf8').digest('hex');
}

/** The statement text without comments, trimmed, without a trailing ';'. */
function normalize(sql) {
    return sql
        .replace(/\/\*[\s\S]*?\*\//g, ' ')
        .replace(/^\s*--.*$/gm, '')
        .trim()
        .replace(/;\s*$/, '')
        .trim();
}

function badArguments(message) {
    return new ChError(36, 'BAD_ARGUMENTS', message);
}

class AccessStore {
    /**
     * @param {string|null} file JSON file holding the users (null: in memory only)
     * @param {string[]} reserved names that cannot be created (default, the configured user)
     */
    constructor(file, reserved = ['default']) {
        this.file = file;
        this.reserved = new Set(reserved);
        this.users = new Map();
        if (file && fs.existsSync(file)) {
            const data = JSON.parse(fs.readFileSync(file, 'utf8'));
            for (const [name, u] of Object.entries(data.users || {})) this.users.set(name, u);
        }
    }

    static forDataDir(dir, reserved) {
        return new AccessStore(path.join(path.resolve(dir), 'citypulse-access.json'), reserved);
    }

    has(name) {
        return this.users.has(name);
    }

    get(name) {
        return this.users.get(name) || null;
    }

    /** Constant-time password check of a SQL-defined user. */
    verify(name, password) {
        const u = this.users.get(name);
        if (!u) return false;
        if (u.sha256 === null) return true; // NOT IDENTIFIED
        const given = Buffer.from(sha256Hex(password), 'hex');
        return crypto.timingSafeEqual(given, Buffer.from(u.sha256, 'hex'));
    }

    /** Is this statement one of the access-control statements this store executes? */
    static isAccessStatement(sql) {
        const s = normalize(sql);
        return /^(CREATE\s+USER|DROP\s+USER|GRANT|REVOKE)\b/i.test(s);
    }

    /**
     * Executes an access-control statement (see isAccessStatement); throws ChError when it is
     * malformed or unsupported. Messages never repeat the statement (it may hold a password).
     */
    execute(sql) {
        const s = normalize(sql);
        let m;
        if ((m = CREATE_RE.exec(s))) return this.create(m);
        if ((m = GRANT_RE.exec(s))) return this.grant(m);
        if ((m = DROP_RE.exec(s))) return this.drop(m);
        throw badArguments(
            'The adapter supports CREATE USER name [IDENTIFIED WITH sha256_hash|sha256_password|plaintext_password BY ...] ' +
                '[SETTINGS readonly = N], GRANT/REVOKE SELECT ON db.* TO/FROM name and DROP USER name',
        );
    }

    create(m) {
        const mode = (m[1] || '').trim().toUpperCase();
        const name = unquoteIdent(m[2]);
        if (this.reserved.has(name)) {
            throw new ChError(493, 'ACCESS_ENTITY_ALREADY_EXISTS', `user \`${name}\`: cannot insert because user \`${name}\` already exists in the adapter configuration`);
        }
        if (this.users.has(name)) {
            if (mode.startsWith('IF')) return;
            if (!mode.startsWith('OR')) {
                throw new ChError(493, 'ACCESS_ENTITY_ALREADY_EXISTS', `user \`${name}\`: cannot insert because user \`${name}\` already exists`);
            }
        }
        let sha256 = null;
        if (m[3] && !/^NOT/i.test(m[3])) {
            const method = (m[4] || 'sha256_password').toLowerCase();
            const secret = unquoteString(m[5]);
            if (method === 'sha256_hash') {
                if (!/^[0-9a-fA-F]{64}$/.test(secret)) throw badArguments('sha256_hash must be 64 hexadecimal digits');
                sha256 = secret.toLowerCase();
            } else if (method === 'sha256_password' || method === 'plaintext_password') {
                sha256 = sha256Hex(secret);
            } else {
                throw badArguments(`The adapter supports the authentication methods sha256_hash, sha256_password and plaintext_password, not ${method}`);
            }
        } else if (!m[3]) {
            throw badArguments('CREATE USER needs IDENTIFIED ... BY or NOT IDENTIFIED in the adapter');
        }
        let readonly = 0;
        if (m[6]) {
            for (const part of m[6].split(',')) {
                const sm = /^\s*readonly\s*=\s*([012])\s*(CONST|READONLY)?\s*$/i.exec(part);
                if (!sm) throw badArguments('The adapter supports only the setting readonly = 0|1|2 in CREATE USER');
                readonly = Number(sm[1]);
            }
        }
        // OR REPLACE starts afresh, grants included, as on ClickHouse
        this.users.set(name, { sha256, readonly, grants: [] });
        this.save();
    }

    grant(m) {
        const isGrant = m[1].toUpperCase() === 'GRANT';
        const db = m[2] === '*' ? '*' : unquoteIdent(m[3]);
        const toFrom = m[4].toUpperCase();
        if (isGrant !== (toFrom === 'TO')) throw badArguments(`${m[1].toUpperCase()} takes ${isGrant ? 'TO' : 'FROM'}`);
        const name = unquoteIdent(m[5]);
        const u = this.users.get(name);
        if (!u) throw new ChError(192, 'UNKNOWN_USER', `There is no user \`${name}\` in user directories`);
        u.grants = u.grants.filter((g) => g !== db);
        if (isGrant) u.grants.push(db);
        this.save();
    }

    drop(m) {
        const name = unquoteIdent(m[2]);
        if (!this.users.has(name)) {
            if (m[1]) return;
            throw new ChError(192, 'UNKNOWN_USER', `There is no user \`${name}\` in user directories`);
        }
        this.users.delete(name);
        this.save();
    }

    save() {
        if (!this.file) return;
        const tmp = `${this.file}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ users: Object.fromEntries(this.users) }, null, 2) + '\n', { mode: 0o600 });
        fs.renameSync(tmp, this.file);
    }

    /**
     * Throws ACCESS_DENIED unless the user holds SELECT on the current database and on every
     * database the statement names explicitly (db.table after FROM / JOIN), and reads no table
     * function but the harmless generators. A lexical check: enough to keep a reporting user
     * inside its databases on a local adapter; production uses ClickHouse's own access control.
     */
    checkSelect(name, database, sql) {
        const u = this.users.get(name);
        const allowed = (db) => u.grants.includes('*') || u.grants.includes(db) || db === 'system' || db === 'INFORMATION_SCHEMA' || db === 'information_schema';
        const deny = (db) =>
            new ChError(497, 'ACCESS_DENIED', `${name}: Not enough privileges. To execute this query, it's necessary to have the grant SELECT ON ${db}.*`);
        const text = sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''");
        const refs = [...text.matchAll(/\b(?:FROM|JOIN)\s+(`[^`]+`|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\s*(\.\s*(`[^`]+`|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)|\()?/gi)];
        let unqualified = false;
        for (const r of refs) {
            const first = unquoteIdent(r[1]);
            if (r[2] === '(') {
                if (!SAFE_TABLE_FUNCTIONS.has(first.toLowerCase())) {
                    throw new ChError(497, 'ACCESS_DENIED', `${name}: Not enough privileges to read the table function ${first}()`);
                }
            } else if (r[2]) {
                if (!allowed(first)) throw deny(first);
            } else if (first.toUpperCase() !== 'SELECT') {
                unqualified = true;
            }
        }
        if (unqualified && !allowed(database)) throw deny(database);
    }
}

module.exports = { AccessStore, sha256Hex };
