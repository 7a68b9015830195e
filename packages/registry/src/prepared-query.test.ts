import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PreparedQuery } from './prepared-query.js';

interface Db {
  t: { id: string; n: number; tag: string };
}

describe('PreparedQuery', () => {
  let db: Kysely<Db> | undefined;
  afterEach(async () => db?.destroy());

  async function open(): Promise<Kysely<Db>> {
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    await db.schema
      .createTable('t')
      .addColumn('id', 'text')
      .addColumn('n', 'integer')
      .addColumn('tag', 'text')
      .execute();
    await db
      .insertInto('t')
      .values([
        { id: 'a', n: 1, tag: 'x' },
        { id: 'b', n: 2, tag: 'y' },
        { id: 'c', n: 3, tag: 'x' },
      ])
      .execute();
    return db;
  }

  it('runs the compiled query with each call’s values in the placeholders’ places, builder constants kept', async () => {
    const k = await open();
    const q = new PreparedQuery(['tag', 'min'], (p) =>
      k
        .selectFrom('t')
        .select('id')
        .where('tag', '=', p<string>('tag'))
        .where('n', '>=', p<number>('min'))
        .where('id', '!=', 'zz')
        .orderBy('id'),
    );
    expect(q.compile({ tag: 'x', min: 0 }).sql).toBe(q.compile({ tag: 'y', min: 5 }).sql);
    expect((await k.executeQuery(q.compile({ tag: 'x', min: 2 }))).rows).toEqual([{ id: 'c' }]);
    expect((await k.executeQuery(q.compile({ tag: 'x', min: 0 }))).rows).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(q.compile({ tag: 'x', min: 0 }).parameters).toEqual(['x', 0, 'zz']);
  });

  it('fills a value used twice in both places', async () => {
    const k = await open();
    const q = new PreparedQuery(['v'], (p) => {
      const v = p<string>('v');
      return k
        .selectFrom('t')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', v), eb('tag', '=', v)]));
    });
    expect((await k.executeQuery(q.compile({ v: 'b' }))).rows).toEqual([{ id: 'b' }]);
  });

  it('refuses a named value the query never uses', async () => {
    const k = await open();
    expect(
      () =>
        new PreparedQuery(['id', 'n'], (p) =>
          k.selectFrom('t').selectAll().where('id', '=', p<string>('id')),
        ),
    ).toThrow(/the values n are not parameters/);
  });
});
