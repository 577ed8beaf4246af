'use strict';
// ClickHouse "native" compression framing, used by the HTTP interface when the
// client passes compress=1 (response) or decompress=1 (request body):
//   16 bytes  CityHash128 v1.0.2 of everything that follows in the block
//    1 byte   method: 0x82 LZ4, 0x90 ZSTD, 0x02 none
//    4 bytes  size of the compressed data including this 9-byte header (LE)
//    4 bytes  size of the uncompressed data (LE)
//    payload
const zlib = require('node:zlib');
const { cityHash128 } = require('./cityhash');
const { decodeBlock, encodeBlock } = require('./lz4');
const { ChError } = require('./errors');

const METHOD_LZ4 = 0x82;
const METHOD_ZSTD = 0x90;
const METHOD_NONE = 0x02;
const BLOCK_SIZE = 1 << 20; // ClickHouse's default (DBMS_DEFAULT_BUFFER_SIZE)

/** Frame `data` as ClickHouse compressed blocks (LZ4 method, literal-only blocks). */
function compress(data) {
    if (data.length === 0) return data;
    const parts = [];
    for (let off = 0; off < data.length; off += BLOCK_SIZE) {
        const end = Math.min(data.length, off + BLOCK_SIZE);
        const payload = encodeBlock(data, off, end);
        const block = Buffer.allocUnsafe(16 + 9 + payload.length);
        block[16] = METHOD_LZ4;
        block.writeUInt32LE(9 + payload.length, 17);
        block.writeUInt32LE(end - off, 21);
        payload.copy(block, 25);
        cityHash128(block, 16, 9 + payload.length).copy(block, 0);
        parts.push(block);
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** Decode a sequence of ClickHouse compressed blocks. */
function decompress(buf, { verifyChecksum = true, maxSize = 1 << 30 } = {}) {
    const out = [];
    let total = 0;
    let p = 0;
    while (p < buf.length) {
        if (p + 25 > buf.length) throw corrupted('truncated block header');
        const method = buf[p + 16];
        const compressedSize = buf.readUInt32LE(p + 17);
        const size = buf.readUInt32LE(p + 21);
        if (compressedSize < 9 || p + 16 + compressedSize > buf.length) throw corrupted('truncated block');
        if (verifyChecksum) {
            const sum = cityHash128(buf, p + 16, compressedSize);
            if (!sum.equals(buf.subarray(p, p + 16))) {
                throw new ChError(40, 'CHECKSUM_DOESNT_MATCH', 'Checksum doesn\'t match: corrupted data.');
            }
        }
        total += size;
        if (total > maxSize) throw new ChError(1001, 'STD_EXCEPTION', 'Decompressed request body is too large');
        const start = p + 25;
        const end = p + 16 + compressedSize;
        if (method === METHOD_LZ4) {
            try {
                out.push(decodeBlock(buf, start, end, size));
            } catch (e) {
                throw corrupted(e.message);
            }
        } else if (method === METHOD_NONE) {
            if (end - start !== size) throw corrupted('uncompressed block size mismatch');
            out.push(buf.subarray(start, end));
        } else if (method === METHOD_ZSTD && typeof zlib.zstdDecompressSync === 'function') {
            out.push(zlib.zstdDecompressSync(buf.subarray(start, end)));
        } else {
            throw new ChError(
                271,
                'CANNOT_DECOMPRESS',
                `Unknown or unsupported compression method 0x${method.toString(16)} in the request body (the adapter supports LZ4 and none)`,
            );
        }
        p = end;
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
}

function corrupted(why) {
    return new ChError(271, 'CANNOT_DECOMPRESS', `Cannot decompress the request body: ${why}`);
}

module.exports = { compress, decompress, METHOD_LZ4, METHOD_NONE, METHOD_ZSTD };
