'use strict';
// Content-Type of a response in a given ClickHouse output format.

const BINARY = /^(RowBinary|Native|Parquet|Arrow|ArrowStream|ORC|Avro|Protobuf|ProtobufSingle|ProtobufList|CapnProto|MsgPack|BSONEachRow|Npy|RawBLOB)/i;

function contentType(format) {
    const f = String(format || 'TabSeparated');
    if (/^(TabSeparated|TSV)/i.test(f)) return 'text/tab-separated-values; charset=UTF-8';
    if (/^CSV/i.test(f)) {
        return `text/csv; charset=UTF-8; header=${/WithNames/i.test(f) ? 'present' : 'absent'}`;
    }
    if (/^(JSONEachRow|JSONLines|NDJSON|JSONCompactEachRow|JSONStringsEachRow|JSONCompactStringsEachRow|JSONObjectEachRow)/i.test(f)) {
        return 'application/x-ndjson; charset=UTF-8';
    }
    if (/^JSON/i.test(f)) return 'application/json; charset=UTF-8';
    if (/^XML$/i.test(f)) return 'application/xml; charset=UTF-8';
    if (BINARY.test(f)) return 'application/octet-stream';
    return 'text/plain; charset=UTF-8';
}

/** True for a binary format (RowBinary, Native, Parquet, ...), whose data is not text. */
function isBinaryFormat(format) {
    return BINARY.test(String(format || ''));
}

module.exports = { contentType, isBinaryFormat };
