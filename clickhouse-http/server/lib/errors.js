'use strict';
// ClickHouse-style errors: "Code: N. DB::Exception: message. (NAME)" plus the
// HTTP status the real server uses for that error (see the server's
// exceptionCodeToHTTPStatus), so clients can treat the adapter like ClickHouse.

const STATUS_BY_NAME = new Map();
function status(code, names) {
    for (const n of names) STATUS_BY_NAME.set(n, code);
}
status(401, ['REQUIRED_PASSWORD']);
status(403, ['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED']);
status(400, [
    'BAD_ARGUMENTS',
    'CANNOT_COMPILE_REGEXP',
    'CANNOT_PARSE_TEXT',
    'CANNOT_PARSE_ESCAPE_SEQUENCE',
    'CANNOT_PARSE_QUOTED_STRING',
    'CANNOT_PARSE_DATE',
    'CANNOT_PARSE_DATETIME',
    'CANNOT_PARSE_NUMBER',
    'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
    'CANNOT_PARSE_IPV4',
    'CANNOT_PARSE_IPV6',
    'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
    'CANNOT_PARSE_UUID',
    'DUPLICATE_COLUMN',
    'ILLEGAL_COLUMN',
    'UNKNOWN_ELEMENT_IN_AST',
    'UNKNOWN_TYPE_OF_AST_NODE',
    'THERE_IS_NO_COLUMN',
    'TOO_DEEP_AST',
    'TOO_BIG_AST',
    'UNEXPECTED_AST_STRUCTURE',
    'SYNTAX_ERROR',
    'INCORRECT_DATA',
    'TYPE_MISMATCH',
    'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
]);
status(404, [
    'UNKNOWN_TABLE',
    'UNKNOWN_FUNCTION',
    'UNKNOWN_IDENTIFIER',
    'UNKNOWN_TYPE',
    'UNKNOWN_STORAGE',
    'UNKNOWN_DATABASE',
    'UNKNOWN_SETTING',
    'UNKNOWN_DIRECTION_OF_SORTING',
    'UNKNOWN_AGGREGATE_FUNCTION',
    'UNKNOWN_FORMAT',
    'UNKNOWN_DATABASE_ENGINE',
    'UNKNOWN_TYPE_OF_QUERY',
    'UNKNOWN_ROLE',
]);
status(413, ['QUERY_IS_TOO_LARGE']);
status(501, ['NOT_IMPLEMENTED']);
status(503, ['SOCKET_TIMEOUT', 'CANNOT_OPEN_FILE', 'CANNOT_SCHEDULE_TASK']);
status(411, ['HTTP_LENGTH_REQUIRED']);
status(408, ['TIMEOUT_EXCEEDED']);
status(415, ['UNSUPPORTED_MEDIA_TYPE']);

class ChError extends Error {
    /**
     * @param {number} code   ClickHouse error code
     * @param {string} name   ClickHouse error name, e.g. UNKNOWN_TABLE
     * @param {string} message message without the "Code: N. DB::Exception:" prefix
     * @param {string} [full] complete engine message, when it came from the engine
     */
    constructor(code, name, message, full) {
        super(message);
        this.code = code;
        this.chName = name;
        this.full = full || null;
    }

    get httpStatus() {
        return (this.chName && STATUS_BY_NAME.get(this.chName)) || 500;
    }

    /** The text ClickHouse would put into the response body (without the trailing newline). */
    format(version) {
        const base = this.full
            ? this.full.trim()
            : `Code: ${this.code}. DB::Exception: ${this.message}${/[.!?]$/.test(this.message) ? '' : '.'} (${this.chName})`;
        return version ? `${base} (version ${version})` : base;
    }
}

/** Convert an error thrown by chDB (or anything else) into a ChError. */
function fromEngineError(e) {
    if (e instanceof ChError) return e;
    const raw = e && e.message != null ? String(e.message) : String(e);
    const m = /Code: (\d+)\. /.exec(raw);
    let code = m ? Number(m[1]) : e && Number.isInteger(e.clickhouseCode) ? e.clickhouseCode : 0;
    // the error name is the last "(UPPER_CASE_NAME)" of the message
    let name = null;
    const re = /\(([A-Z][A-Z0-9_]+)\)/g;
    let mm;
    while ((mm = re.exec(raw)) !== null) name = mm[1];
    if (!code) {
        return new ChError(1001, 'STD_EXCEPTION', raw.trim());
    }
    const full = raw.slice(m ? m.index : 0);
    const msg = full.replace(/^Code: \d+\. (DB::Exception: )?/, '');
    return new ChError(code, name || 'UNKNOWN_EXCEPTION', msg, full);
}

module.exports = { ChError, fromEngineError };
