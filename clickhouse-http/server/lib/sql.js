'use strict';
// A small lexical analysis of the SQL text of one request. It does not parse SQL (the
// engine does that); it answers what the HTTP layer must know before running it:
//   - the statement kind (first keyword), to route INSERTs, enforce read-only GETs and
//     notice SET statements;
//   - the FORMAT clause (output format of a query, input format of an INSERT);
//   - whether the text holds more than one statement: ClickHouse's HTTP interface
//     refuses multi-statements, the embedded engine would run them all;
//   - where the inline data of an INSERT starts (it is opaque and is not lexed).

const READ_ONLY_KINDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESC', 'DESCRIBE', 'EXISTS', 'EXPLAIN', 'CHECK']);

function isWordStart(c) {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}
function isWordChar(c) {
    return isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
}
function isSpace(c) {
    return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/**
 * @param {string} text SQL text, possibly followed by inline INSERT data
 * @returns {{kind: string, isInsert: boolean, format: string|null, insertData: string|null,
 *   dataOffset: number, multiStatement: boolean, empty: boolean, complete: boolean}}
 *   insertData is 'FORMAT' or 'VALUES' for an INSERT with inline data; dataOffset is
 *   where that data starts (for VALUES, right after the keyword).
 */
function analyze(text) {
    const n = text.length;
    let i = 0;
    let depth = 0;
    let kind = null;
    let isInsert = false;
    let sawSelect = false;
    let format = null;
    let formatPending = false; // previous top-level word was FORMAT
    let formatAt = -1; // token index at which the format name was seen
    let insertData = null;
    let dataOffset = -1;
    let ended = false; // a top-level ';' ended the first statement
    let multiStatement = false;
    let topTokens = 0; // count of top-level tokens in the first statement
    let lastTopWordAfterFormat = null;

    const onTopWord = (word, end) => {
        const upper = word.toUpperCase();
        topTokens++;
        if (kind === null) {
            kind = upper;
            isInsert = upper === 'INSERT';
            return false;
        }
        if (formatPending) {
            formatPending = false;
            format = word;
            formatAt = topTokens;
            lastTopWordAfterFormat = null;
            if (isInsert && !sawSelect) {
                insertData = 'FORMAT';
                dataOffset = end;
                return true; // the rest is data
            }
            return false;
        }
        if (formatAt >= 0 && lastTopWordAfterFormat === null) lastTopWordAfterFormat = upper;
        if (upper === 'FORMAT') {
            formatPending = true;
        } else if (isInsert && !sawSelect && insertData === null) {
            if (upper === 'VALUES') {
                insertData = 'VALUES';
                dataOffset = end;
            } else if (upper === 'SELECT' || upper === 'WITH') {
                sawSelect = true;
            }
        }
        return false;
    };
    const onTopOther = () => {
        topTokens++;
        if (kind === null) kind = 'SELECT'; // "(SELECT ...)" and the like
        formatPending = false;
        if (formatAt >= 0 && lastTopWordAfterFormat === null) lastTopWordAfterFormat = '?';
    };

    while (i < n) {
        const c = text.charCodeAt(i);
        if (isSpace(c)) {
            i++;
            continue;
        }
        // comments
        if (c === 45 && text.charCodeAt(i + 1) === 45) {
            const e = text.indexOf('\n', i);
            i = e < 0 ? n : e + 1;
            continue;
        }
        if (c === 35 && (i + 1 >= n || isSpace(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 33)) {
            const e = text.indexOf('\n', i);
            i = e < 0 ? n : e + 1;
            continue;
        }
        if (c === 47 && text.charCodeAt(i + 1) === 42) {
            let level = 1;
            i += 2;
            while (i < n && level > 0) {
                if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
                    level++;
                    i += 2;
                } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
                    level--;
                    i += 2;
                } else i++;
            }
            continue;
        }
        if (ended) {
            if (c === 59) {
                i++;
                continue;
            }
            multiStatement = true;
            break;
        }
        // quoted strings and identifiers
        if (c === 39 || c === 34 || c === 96) {
            i = skipQuoted(text, i, c);
            if (depth === 0) onTopOther();
            continue;
        }
        // heredoc $tag$ ... $tag$
        if (c === 36) {
            const m = /^\$([A-Za-z0-9_]*)\$/.exec(text.slice(i, i + 64));
            if (m) {
                const close = text.indexOf(m[0], i + m[0].length);
                i = close < 0 ? n : close + m[0].length;
                if (depth === 0) onTopOther();
                continue;
            }
        }
        if (isWordStart(c)) {
            let j = i + 1;
            while (j < n && isWordChar(text.charCodeAt(j))) j++;
            if (depth === 0) {
                const stop = onTopWord(text.slice(i, j), j);
                if (stop) {
                    i = j;
                    break;
                }
            }
            i = j;
            continue;
        }
        if (c === 40 || c === 91 || c === 123) {
            if (depth === 0) onTopOther();
            depth++;
            i++;
            continue;
        }
        if (c === 41 || c === 93 || c === 125) {
            if (depth > 0) depth--;
            i++;
            continue;
        }
        if (c === 59 && depth === 0) {
            ended = true;
            i++;
            continue;
        }
        if (depth === 0) onTopOther();
        i++;
    }

    // A FORMAT clause of a query is its tail: nothing but SETTINGS may follow it.
    if (!isInsert && format !== null && lastTopWordAfterFormat !== null && lastTopWordAfterFormat !== 'SETTINGS') {
        format = null;
    }
    return {
        kind: kind || '',
        isInsert,
        format,
        insertData,
        dataOffset,
        multiStatement,
        empty: kind === null,
    };
}

function skipQuoted(text, i, quote) {
    const n = text.length;
    i++;
    while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92) {
            i += 2;
            continue;
        }
        if (c === quote) {
            if (text.charCodeAt(i + 1) === quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return n;
}

/** Is a statement of this kind allowed when readonly > 0 (HTTP GET implies readonly=2)? */
function isReadOnlyKind(kind, readonly) {
    if (READ_ONLY_KINDS.has(kind)) return true;
    if (kind === 'USE') return true;
    if (kind === 'SET') return readonly !== 1;
    return false;
}

module.exports = { analyze, isReadOnlyKind };
