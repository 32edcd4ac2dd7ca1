/**
 * SQLite through the `sqlite3` package: one connection, WAL, promises, and transactions that
 * never interleave (a mutex queues them) so that writes which belong together commit together.
 */
import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';

export type Row = Record<string, unknown>;
export type Param = string | number | null | bigint | Buffer;

export interface Tx {
  /** Runs a whole SQL script (several statements, triggers). */
  exec(sql: string): Promise<void>;
  run(sql: string, params?: Param[]): Promise<{ changes: number; lastID: number }>;
  get<T = Row>(sql: string, params?: Param[]): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: Param[]): Promise<T[]>;
}

export class Db implements Tx {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly db: sqlite3.Database, readonly file: string) {}

  static async open(file: string): Promise<Db> {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
    });
    const db = new Db(raw, file);
    raw.configure('busyTimeout', 5000);
    await db.exec('PRAGMA journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives a process crash (kill -9); only an
    // OS crash can lose the last commits. That is the trade SQLite documents for WAL.
    await db.exec('PRAGMA synchronous = NORMAL');
    await db.exec('PRAGMA foreign_keys = ON');
    return db;
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  run(sql: string, params: Param[] = []): Promise<{ changes: number; lastID: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  }

  get<T = Row>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => this.db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as T | undefined))));
  }

  all<T = Row>(sql: string, params: Param[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
  }

  /**
   * Runs fn inside BEGIN IMMEDIATE … COMMIT, rolled back if it throws. Transactions are queued:
   * the connection is shared, so two must never be open at once.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = async () => {
      if (this.closed) throw new Error('database is closed');
      await this.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this);
        await this.exec('COMMIT');
        return out;
      } catch (e) {
        await this.exec('ROLLBACK').catch(() => {});
        throw e;
      }
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => {});
    return p;
  }

  async close(): Promise<void> {
    await this.chain;
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}
