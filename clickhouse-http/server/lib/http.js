'use strict';
// The HTTP side: ClickHouse's HTTP interface (the parts clients use) in front of the
// serialized chDB engine.
const crypto = require('node:crypto');
const os = require('node:os');
const zlib = require('node:zlib');
const { promisify } = require('node:util');
const { ChError, fromEngineError } = require('./errors');
const { analyze, isReadOnlyKind } = require('./sql');
const { AccessStore } = require('./access');
const { contentType, isBinaryFormat } = require('./formats');
const native = require('./native-compression');
const lz4 = require('./lz4');

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotliDecompress = promisify(zlib.brotliDecompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const brotliCompress = promisify(zlib.brotliCompress);
const HAS_ZSTD = typeof zlib.zstdCompress === 'function' && typeof zlib.zstdDecompress === 'function';

const MAX_BODY = 1 << 30; // 1 GiB
const HEAD_BYTES = 64 * 1024;

// URL parameters that are not settings of the query: transport, authentication and
// session parameters of ClickHouse's HTTP interface, and settings the HTTP layer
// itself implements.
const NOT_SETTINGS = new Set([
    'query',
    'database',
    'default_format',
    'compress',
    'decompress',
    'user',
    'password',
    'quota_key',
    'query_id',
    'stacktrace',
    'buffer_size',
    'wait_end_of_query',
    'session_id',
    'session_timeout',
    'session_check',
    'client_protocol_version',
    'close_session',
    'role',
    'readonly',
    'enable_http_compression',
    'http_zlib_compression_level',
    'http_native_compression_disable_checksumming_on_decompress',
    'add_http_cors_header',
]);

function flag(v) {
    if (v === null || v === undefined) return false;
    const s = String(v).trim().toLowerCase();
    return s === '1' || s === 'true';
}

function chooseEncoding(acceptEncoding) {
    if (!acceptEncoding) return null;
    for (const part of String(acceptEncoding).split(',')) {
        const name = part.split(';')[0].trim().toLowerCase();
        if (name === 'gzip' || name === 'x-gzip') return 'gzip';
        if (name === 'deflate') return 'deflate';
        if (name === 'br') return 'br';
        if (name === 'lz4') return 'lz4';
        if (name === 'zstd' && HAS_ZSTD) return 'zstd';
    }
    return null;
}

async function encodeBody(data, encoding, level) {
    const lvl = Number.isFinite(level) ? Math.max(1, Math.min(9, level)) : 3;
    switch (encoding) {
        case 'gzip':
            return gzip(data, { level: lvl });
        case 'deflate':
            return deflate(data, { level: lvl });
        case 'br':
            return brotliCompress(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: lvl } });
        case 'lz4':
            return lz4.encodeFrame(data);
        case 'zstd':
            return promisify(zlib.zstdCompress)(data);
        default:
            return data;
    }
}

async function decodeBody(data, contentEncoding) {
    const enc = String(contentEncoding).trim().toLowerCase();
    try {
        switch (enc) {
            case '':
            case 'identity':
            case 'none':
                return data;
            case 'gzip':
            case 'x-gzip':
                return await gunzip(data);
            case 'deflate':
                return await inflate(data);
            case 'br':
                return await brotliDecompress(data);
            case 'lz4':
                return lz4.decodeFrame(data, MAX_BODY);
            case 'zstd':
                if (HAS_ZSTD) return await promisify(zlib.zstdDecompress)(data);
                break;
            default:
                break;
        }
    } catch (e) {
        if (e instanceof ChError) throw e;
        throw new ChError(271, 'CANNOT_DECOMPRESS', `Cannot decompress the request body (${enc}): ${e.message}`);
    }
    throw new ChError(
        89,
        'UNKNOWN_COMPRESSION_METHOD',
        `Unknown compression method '${enc}'. The adapter supports gzip, deflate, br, lz4${HAS_ZSTD ? ', zstd' : ''}`,
    );
}

function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let failed = false;
        req.on('data', (c) => {
            if (failed) return;
            size += c.length;
            if (size > MAX_BODY) {
                failed = true;
                reject(new ChError(229, 'QUERY_IS_TOO_LARGE', `The request body is larger than ${MAX_BODY} bytes`));
                return;
            }
            chunks.push(c);
        });
        req.on('end', () => {
            if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
        });
        req.on('error', (e) => {
            if (!failed) reject(e);
        });
    });
}

function summary(r) {
    const s = (n) => String(Math.max(0, Math.round(n || 0)));
    return JSON.stringify({
        read_rows: s(r.writtenRows || r.resultRows),
        read_bytes: s(r.writtenBytes || r.resultBytes),
        written_rows: s(r.writtenRows),
        written_bytes: s(r.writtenBytes),
        total_rows_to_read: '0',
        result_rows: s(r.resultRows),
        result_bytes: s(r.resultBytes),
        elapsed_ns: s(r.elapsedNs),
    });
}

/**
 * @param {object} deps
 * @param {import('./engine').Engine} deps.engine
 * @param {import('./auth').Authenticator} deps.auth
 * @param {(msg: string) => void} [deps.log]
 * @param {string} [deps.displayName] X-ClickHouse-Server-Display-Name (default: host name)
 * @param {boolean} [deps.logQueries] log the start of every query
 */
function createHandler({ engine, auth, log = () => {}, displayName = os.hostname(), logQueries = false }) {
    function baseHeaders(req, params) {
        const h = { 'X-ClickHouse-Server-Display-Name': displayName };
        if (params && flag(params.get('add_http_cors_header')) && req.headers.origin) {
            h['Access-Control-Allow-Origin'] = '*';
        }
        return h;
    }

    function sendText(req, res, status, text, headers = {}) {
        const body = Buffer.from(text);
        res.writeHead(status, {
            ...headers,
            'Content-Type': 'text/plain; charset=UTF-8',
            'Content-Length': body.length,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
    }

    async function sendError(req, res, err, out) {
        const e = fromEngineError(err);
        let body = Buffer.from(e.format(engine.version) + '\n');
        const headers = {
            ...out.headers,
            'Content-Type': 'text/plain; charset=UTF-8',
            'X-ClickHouse-Exception-Code': String(e.code),
        };
        if (out.queryId) headers['X-ClickHouse-Query-Id'] = out.queryId;
        let status = e.httpStatus;
        if (e.noCredentials) {
            status = 401;
            headers['WWW-Authenticate'] = 'Basic realm="ClickHouse server HTTP API"';
        }
        if (out.compress) body = native.compress(body);
        if (out.encoding) {
            body = await encodeBody(body, out.encoding, out.level);
            headers['Content-Encoding'] = out.encoding;
        }
        headers['Content-Length'] = body.length;
        if (!res.headersSent) {
            res.writeHead(status, headers);
            res.end(req.method === 'HEAD' ? undefined : body);
        } else {
            res.end();
        }
        if (status >= 500) log(`query ${out.queryId || '-'} failed: ${e.format().split('\n')[0].slice(0, 500)}`);
    }

    async function handleQuery(req, res, params, bodyPromise) {
        const out = { headers: baseHeaders(req, params), compress: false, encoding: null, level: 3, queryId: null };
        let body;
        try {
            body = await bodyPromise;
        } catch (e) {
            return sendError(req, res, e, out);
        }
        let user;
        try {
            user = auth.authenticate(req, params);
        } catch (e) {
            return sendError(req, res, e, out);
        }
        const access = auth.access;
        const sqlUser = access && access.has(user) ? access.get(user) : null;
        // From here on the response is shaped as the client asked (errors included).
        out.queryId = params.get('query_id') || req.headers['x-clickhouse-query-id'] || crypto.randomUUID();
        out.compress = flag(params.get('compress'));
        if (flag(params.get('enable_http_compression'))) {
            out.encoding = chooseEncoding(req.headers['accept-encoding']);
            const lvl = params.get('http_zlib_compression_level');
            if (lvl !== null) out.level = Number(lvl);
        }
        try {
            const job = await buildJob(req, params, body, sqlUser);
            if (job.sql !== undefined && access && AccessStore.isAccessStatement(job.sql)) {
                // CREATE USER / GRANT / REVOKE / DROP USER: the adapter's own access control
                if (sqlUser) {
                    throw new ChError(497, 'ACCESS_DENIED', `${user}: Not enough privileges. To execute this query, it's necessary to have the grant ACCESS MANAGEMENT ON *.*`);
                }
                if (logQueries) log(`query ${out.queryId}: access-control statement (not logged, it may hold a password)`);
                access.execute(job.sql);
                res.writeHead(200, {
                    ...out.headers,
                    'Content-Type': contentType(job.outputFormat),
                    'X-ClickHouse-Query-Id': out.queryId,
                    'X-ClickHouse-Format': job.outputFormat,
                    'X-ClickHouse-Timezone': job.timezone,
                    'X-ClickHouse-Summary': summary({}),
                    'Content-Length': 0,
                });
                return res.end();
            }
            if (sqlUser) access.checkSelect(user, job.database, job.sql !== undefined ? job.sql : job.insertPrefix);
            if (logQueries) {
                const text = job.sql !== undefined ? job.sql : job.insertPrefix + job.data.subarray(0, 300).toString('utf8');
                log(`query ${out.queryId} [${job.database}] ${JSON.stringify(job.settings)}: ${text.slice(0, 300)}`);
            }
            const result = await engine.submit(job);
            let data = result.bytes;
            if (out.compress) data = native.compress(data);
            const headers = {
                ...out.headers,
                'Content-Type': contentType(job.outputFormat),
                'X-ClickHouse-Query-Id': out.queryId,
                'X-ClickHouse-Format': job.outputFormat,
                'X-ClickHouse-Timezone': job.timezone,
                'X-ClickHouse-Summary': summary(result),
            };
            if (out.encoding) {
                data = await encodeBody(data, out.encoding, out.level);
                headers['Content-Encoding'] = out.encoding;
            }
            headers['Content-Length'] = data.length;
            res.writeHead(200, headers);
            res.end(req.method === 'HEAD' ? undefined : data);
        } catch (e) {
            return sendError(req, res, e, out);
        }
    }

    async function buildJob(req, params, rawBody, sqlUser = null) {
        let data = rawBody;
        const ce = req.headers['content-encoding'];
        if (ce && data.length > 0) data = await decodeBody(data, ce);
        if (flag(params.get('decompress')) && data.length > 0) {
            data = native.decompress(data, {
                verifyChecksum: !flag(params.get('http_native_compression_disable_checksumming_on_decompress')),
                maxSize: MAX_BODY,
            });
        }

        const database = req.headers['x-clickhouse-database'] || params.get('database') || 'default';
        const defaultFormat = req.headers['x-clickhouse-format'] || params.get('default_format') || 'TabSeparated';
        const isGet = req.method === 'GET' || req.method === 'HEAD';
        let readonly = isGet ? 2 : 0;
        // a SQL-defined user's readonly level is a constraint: a URL parameter cannot lower it
        const userReadonly = sqlUser ? sqlUser.readonly : 0;
        if (userReadonly > readonly) readonly = userReadonly;
        const settings = new Map();
        const queryParams = {};
        let hasParams = false;
        for (const [key, value] of params) {
            if (key === '') continue;
            if (key.startsWith('param_')) {
                queryParams[key.slice(6)] = value;
                hasParams = true;
                continue;
            }
            if (key === 'readonly') {
                const v = Number(value);
                if (!Number.isInteger(v) || v < 0 || v > 2) {
                    throw new ChError(36, 'BAD_ARGUMENTS', `Invalid value '${value}' for setting 'readonly'`);
                }
                if (isGet && v !== 2) {
                    throw new ChError(164, 'READONLY', "Cannot modify 'readonly' setting in readonly mode");
                }
                if (userReadonly > 0 && v !== userReadonly) {
                    if (userReadonly === 1 || v === 0) {
                        throw new ChError(164, 'READONLY', "Cannot modify 'readonly' setting in readonly mode");
                    }
                }
                readonly = v;
                continue;
            }
            if (NOT_SETTINGS.has(key)) continue;
            if (!engine.isSetting(key)) throw new ChError(115, 'UNKNOWN_SETTING', `Unknown setting '${key}'`);
            settings.delete(key); // keep the order of the last occurrence
            settings.set(key, value);
        }
        if (readonly === 1 && settings.size > 0) {
            const first = settings.keys().next().value;
            throw new ChError(164, 'READONLY', `Cannot modify '${first}' setting in readonly mode`);
        }

        const job = {
            database,
            settings: [...settings],
            format: defaultFormat,
            params: hasParams ? queryParams : null,
            timezone: settings.get('session_timezone') || engine.timezone,
        };

        const queryParam = params.get('query') || '';
        let a;
        if (queryParam !== '') {
            a = analyze(queryParam);
            if (a.isInsert && !hasParams) {
                if (a.insertData !== 'FORMAT' && data.length > 0) {
                    a = analyze(queryParam + '\n' + data.toString('utf8'));
                }
                job.insertPrefix = queryParam; // the engine puts a line break before the data
                job.data = data;
            } else {
                const text = data.length > 0 ? queryParam + '\n' + data.toString('utf8') : queryParam;
                if (data.length > 0) a = analyze(text);
                job.sql = text;
            }
        } else {
            if (data.length === 0) throw new ChError(62, 'SYNTAX_ERROR', 'Empty query');
            const truncated = data.length > HEAD_BYTES;
            a = analyze(data.subarray(0, HEAD_BYTES).toString('utf8'));
            if (a.isInsert && !hasParams) {
                if (truncated && a.insertData !== 'FORMAT') a = analyze(data.toString('utf8'));
                job.insertPrefix = '';
                job.data = data;
            } else {
                const text = data.toString('utf8');
                if (truncated) a = analyze(text);
                job.sql = text;
            }
        }
        if (a.empty) throw new ChError(62, 'SYNTAX_ERROR', 'Empty query');
        if (a.isInsert && a.insertData === 'FORMAT' && isBinaryFormat(a.format)) {
            if (hasParams) {
                throw new ChError(
                    48,
                    'NOT_IMPLEMENTED',
                    `INSERT in the binary format ${a.format} with query parameters is not supported by this adapter`,
                );
            }
            binaryInsert(job, a, queryParam, data);
        }
        if (a.multiStatement) throw new ChError(62, 'SYNTAX_ERROR', 'Multi-statements are not allowed');
        if (readonly > 0 && !isReadOnlyKind(a.kind, readonly)) {
            throw new ChError(
                164,
                'READONLY',
                isGet
                    ? 'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries'
                    : 'Cannot execute query in readonly mode',
            );
        }
        job.outputFormat = a.isInsert ? defaultFormat : a.format || defaultFormat;
        job.changesSettings = a.kind === 'SET';
        return job;
    }

    /**
     * An INSERT of binary data (RowBinary, Native, ...): chDB's raw insert reads inline data as the
     * tail of the query text and ends it at the first empty line (any two bytes 0x0A in a row),
     * dropping the rest without an error, so the engine reads such data from a file instead
     * (INSERT ... FROM INFILE). As on ClickHouse, the data is the body after a statement in the
     * URL, or what follows the format name in the body (after spaces and one line break).
     */
    function binaryInsert(job, a, queryParam, body) {
        let statement;
        let data;
        if (queryParam !== '') {
            statement = queryParam.slice(0, a.dataOffset);
            if (!/^\s*$/.test(queryParam.slice(a.dataOffset))) {
                throw new ChError(
                    48,
                    'NOT_IMPLEMENTED',
                    `INSERT in the binary format ${a.format} with data in the URL is not supported by this adapter: send the data as the body`,
                );
            }
            data = body;
        } else {
            const head = body.subarray(0, HEAD_BYTES).toString('utf8');
            statement = head.slice(0, a.dataOffset);
            let at = Buffer.byteLength(statement, 'utf8');
            while (at < body.length && (body[at] === 0x20 || body[at] === 0x09 || body[at] === 0x0c)) at++;
            if (body[at] === 0x0d) at++;
            if (body[at] === 0x0a) at++;
            data = body.subarray(at);
        }
        if (/\bSETTINGS\b/i.test(statement)) {
            throw new ChError(
                48,
                'NOT_IMPLEMENTED',
                `INSERT in the binary format ${a.format} with a SETTINGS clause is not supported by this adapter: send the settings as URL parameters`,
            );
        }
        job.insertPrefix = statement;
        job.data = data;
        job.dataFile = true;
    }

    return function handle(req, res) {
        let url;
        try {
            url = new URL(req.url, 'http://localhost');
        } catch (_) {
            return sendText(req, res, 400, 'Bad request URI\n');
        }
        const params = url.searchParams;
        const method = req.method;
        if (method === 'OPTIONS') {
            res.writeHead(204, {
                'Access-Control-Allow-Origin': '*',
                'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
                'Access-Control-Allow-Headers':
                    req.headers['access-control-request-headers'] ||
                    'origin, x-requested-with, x-clickhouse-format, x-clickhouse-user, x-clickhouse-key, authorization',
                'Access-Control-Max-Age': '86400',
            });
            return res.end();
        }
        const headers = baseHeaders(req, params);
        if (url.pathname === '/ping' || url.pathname === '/replicas_status') {
            req.resume();
            return sendText(req, res, 200, 'Ok.\n', headers);
        }
        if (url.pathname !== '/') {
            req.resume();
            return sendText(
                req,
                res,
                404,
                `There is no handle ${url.pathname}\n\nUse / or /ping for health checks.\nSend queries with POST method or GET /?query=...\n`,
                headers,
            );
        }
        if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') {
            req.resume();
            return sendText(req, res, 405, `HTTP method ${method} is not supported\n`, headers);
        }
        const bodyPromise = readBody(req);
        if ((method === 'GET' || method === 'HEAD') && !params.has('query')) {
            return bodyPromise.then(
                (b) => {
                    if (b.length === 0) return sendText(req, res, 200, 'Ok.\n', headers);
                    return handleQuery(req, res, params, Promise.resolve(b));
                },
                (e) => sendError(req, res, e, { headers }),
            );
        }
        return handleQuery(req, res, params, bodyPromise).catch((e) => {
            log(`internal error: ${e && e.stack ? e.stack : e}`);
            if (!res.headersSent) sendText(req, res, 500, 'Code: 1001. DB::Exception: internal adapter error\n');
            else res.end();
        });
    };
}

module.exports = { createHandler, chooseEncoding };
