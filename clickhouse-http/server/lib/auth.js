'use strict';
// Authentication the way ClickHouse's HTTP interface takes credentials:
//   Authorization: Basic ...            (not combined with the other two)
//   X-ClickHouse-User / X-ClickHouse-Key headers
//   user / password URL parameters
// Without any of them the user is 'default' with an empty password.
// The adapter knows one configured user (the administrator) plus the users created with SQL
// (CREATE USER, see access.js). When no user is configured every other user name is accepted.
const crypto = require('node:crypto');
const { ChError } = require('./errors');

function digest(s) {
    return crypto.createHash('sha256').update(String(s), 'utf8').digest();
}

class Authenticator {
    /**
     * @param {{user?: string|null, password?: string|null}} cfg
     */
    constructor({ user, password, access = null }) {
        this.user = user || null;
        /** @type {import('./access').AccessStore|null} SQL-defined users */
        this.access = access;
        this.passwordDigest = this.user ? digest(password || '') : null;
    }

    get enabled() {
        return this.user !== null;
    }

    /** Credentials of a request: {user, password, supplied} (throws ChError 516 on malformed input). */
    static credentials(req, params) {
        const authz = req.headers.authorization;
        const hUser = req.headers['x-clickhouse-user'];
        const hKey = req.headers['x-clickhouse-key'];
        const pUser = params.get('user');
        const pPassword = params.get('password');
        if (hUser !== undefined || hKey !== undefined) {
            if (authz !== undefined || pUser !== null || pPassword !== null) {
                throw failed(
                    'Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and other authentication methods simultaneously',
                );
            }
            return { user: hUser || 'default', password: hKey || '', supplied: true };
        }
        if (authz !== undefined) {
            if (pUser !== null || pPassword !== null) {
                throw failed(
                    'Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via parameters simultaneously',
                );
            }
            const m = /^\s*(\S+)\s*(.*)$/.exec(authz);
            if (!m || m[1].toLowerCase() !== 'basic') {
                throw failed(`Invalid authentication: '${m ? m[1] : ''}' HTTP Authorization scheme is not supported`);
            }
            const decoded = Buffer.from(m[2].trim(), 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            return {
                user: colon < 0 ? decoded : decoded.slice(0, colon),
                password: colon < 0 ? '' : decoded.slice(colon + 1),
                supplied: true,
            };
        }
        if (pUser !== null || pPassword !== null) {
            return { user: pUser || 'default', password: pPassword || '', supplied: true };
        }
        return { user: 'default', password: '', supplied: false };
    }

    /**
     * Check a request. Returns the user name; throws a ChError (code 516) otherwise.
     * The error carries `noCredentials` when the client sent none at all.
     */
    authenticate(req, params) {
        const cred = Authenticator.credentials(req, params);
        if (this.access && this.access.has(cred.user)) {
            if (this.access.verify(cred.user, cred.password)) return cred.user;
            throw failed(`${cred.user}: Authentication failed: password is incorrect, or there is no user with such name`);
        }
        if (!this.enabled) return cred.user;
        const userOk = cred.user === this.user;
        // compare digests in constant time, whatever the lengths
        const passOk = crypto.timingSafeEqual(digest(cred.password), this.passwordDigest);
        if (userOk && passOk) return cred.user;
        const err = failed(
            `${cred.user}: Authentication failed: password is incorrect, or there is no user with such name`,
        );
        err.noCredentials = !cred.supplied;
        throw err;
    }
}

function failed(message) {
    return new ChError(516, 'AUTHENTICATION_FAILED', message);
}

module.exports = { Authenticator };
