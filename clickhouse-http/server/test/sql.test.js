'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { analyze, isReadOnlyKind } = require('../lib/sql');

test('statement kind', () => {
    assert.equal(analyze('  select 1').kind, 'SELECT');
    assert.equal(analyze('-- comment\n/* block */ INSERT INTO t VALUES (1)').kind, 'INSERT');
    assert.equal(analyze('(SELECT 1) UNION ALL (SELECT 2)').kind, 'SELECT');
    assert.equal(analyze('WITH 1 AS x SELECT x').kind, 'WITH');
    assert.equal(analyze('set max_threads = 1').kind, 'SET');
    assert.ok(analyze('  -- only a comment\n').empty);
    assert.ok(analyze(';').empty);
});

test('output FORMAT clause', () => {
    assert.equal(analyze('SELECT 1 FORMAT JSONEachRow').format, 'JSONEachRow');
    assert.equal(analyze('SELECT 1 FORMAT JSON;').format, 'JSON');
    assert.equal(analyze('SELECT 1 FORMAT JSON SETTINGS max_threads = 1').format, 'JSON');
    assert.equal(analyze('SELECT format FROM t').format, null);
    assert.equal(analyze("SELECT 'FORMAT CSV'").format, null);
    assert.equal(analyze('SELECT x AS format').format, null);
    assert.equal(analyze('SELECT (SELECT 1 FORMAT CSV)').format, null);
});

test('INSERT data', () => {
    const f = analyze('INSERT INTO t (a, b) SETTINGS async_insert = 1 FORMAT CSV\n1,2;3\n');
    assert.equal(f.isInsert, true);
    assert.equal(f.insertData, 'FORMAT');
    assert.equal(f.format, 'CSV');
    assert.equal(f.multiStatement, false, 'inline data is not lexed');
    const v = analyze("INSERT INTO t VALUES (1, 'a;b'), (2, 'c')");
    assert.equal(v.insertData, 'VALUES');
    assert.equal(v.multiStatement, false);
    assert.equal(analyze('INSERT INTO t SELECT * FROM s FORMAT Native').insertData, null);
});

test('multi-statements', () => {
    assert.equal(analyze('SELECT 1; SELECT 2').multiStatement, true);
    assert.equal(analyze('SELECT 1;').multiStatement, false);
    assert.equal(analyze('SELECT 1; -- trailing comment\n').multiStatement, false);
    assert.equal(analyze("SELECT ';'").multiStatement, false);
    assert.equal(analyze('SELECT `a;b` FROM t').multiStatement, false);
    assert.equal(analyze("INSERT INTO t VALUES (1); DROP TABLE t").multiStatement, true);
    assert.equal(analyze("SELECT 'it''s; fine', \"x;\" FROM t").multiStatement, false);
    assert.equal(analyze("SELECT 'esc\\'; still string'").multiStatement, false);
});

test('read-only kinds', () => {
    assert.ok(isReadOnlyKind('SELECT', 2));
    assert.ok(isReadOnlyKind('SHOW', 1));
    assert.ok(isReadOnlyKind('SET', 2));
    assert.ok(!isReadOnlyKind('SET', 1));
    assert.ok(!isReadOnlyKind('INSERT', 2));
    assert.ok(!isReadOnlyKind('CREATE', 2));
});
