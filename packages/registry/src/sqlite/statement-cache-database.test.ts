import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { statementCacheDatabase } from './statement-cache-database.js';

describe('statementCacheDatabase', () => {
  let raw: SqliteDatabase.Database | undefined;
  afterEach(() => raw?.close());

  function open(capacity?: number) {
    raw = new SqliteDatabase(':memory:');
    raw.exec('create table t (n integer)');
    raw.exec('insert into t values (1), (2), (3)');
    return statementCacheDatabase(raw, capacity);
  }

  it('hands out the statement it prepared for the same SQL text again', () => {
    const db = open();
    const a = db.prepare('select n from t where n > ?');
    expect(db.prepare('select n from t where n > ?')).toBe(a);
    expect(db.prepare('select n from t where n < ?')).not.toBe(a);
    expect(a.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('gives a fresh statement while the kept one is still iterating', () => {
    const db = open();
    const sql = 'select n from t order by n';
    const iter = db.prepare(sql).iterate([]);
    expect(iter.next().value).toEqual({ n: 1 });
    const other = db.prepare(sql);
    expect(other.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect([...iter]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const db = open(2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(one); // now "select 2" is the least recently used
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(one);
    expect(db.prepare('select 2')).not.toBe(two);
  });
});
