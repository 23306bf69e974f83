import Database from 'better-sqlite3';
import type { LogRow } from '../log-row.ts';

/**
 * The kine-style append-only log table and its prepared statements. Every write appends one row whose
 * id is its revision; the unique (name, prev_revision) index makes two writes from the same base
 * impossible even if the single-writer queue were bypassed.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL,
  old_value TEXT
);
CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id);
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

const COLUMNS = 'id, name, created, deleted, create_revision, prev_revision, value, old_value';

interface DbRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  old_value: string | null;
}

function fromDb(row: DbRow): LogRow {
  return {
    id: row.id,
    name: row.name,
    created: row.created === 1,
    deleted: row.deleted === 1,
    createRevision: row.create_revision,
    prevRevision: row.prev_revision,
    value: row.value,
    oldValue: row.old_value,
  };
}

/** Bounds of a prefix scan: name in [lo, hi) and name > after. */
export interface NameRange {
  lo: string;
  hi: string;
  after: string;
}

/** Opens (creating if needed) the log database at `path`. */
export function openLogDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL fsyncs the WAL at every commit, so a resolved write survives SIGKILL *and* power loss
  // (NORMAL only survives process crashes). Group commit pays that fsync (3-5 ms on our dev VM) once per
  // batch of writes, not once per write, so throughput does not suffer under load.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

/** Prepares every statement once; better-sqlite3 statements are reusable and much faster than ad-hoc SQL. */
function prepareStatements(db: Database.Database) {
  const prepare = <P extends unknown[]>(sql: string) => db.prepare<P, DbRow>(sql);
  return {
    latest: prepare<[string]>(`SELECT ${COLUMNS} FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1`),
    insert: db.prepare(`INSERT INTO kine (${COLUMNS}) VALUES (@id, @name, @created, @deleted, @createRevision, @prevRevision, @value, @oldValue)`),
    // Walks the (name, id) index in name order and keeps each name's newest row at the revision, so a
    // page of `limit` stops early instead of grouping every row under the prefix first.
    listAt: prepare<[NameRange & { revision: number; limit: number }]>(
      `SELECT ${COLUMNS} FROM kine AS k
       WHERE k.name >= @lo AND k.name < @hi AND k.name > @after AND k.id <= @revision
         AND k.id = (SELECT MAX(id) FROM kine WHERE name = k.name AND id <= @revision)
         AND k.deleted = 0
       ORDER BY k.name LIMIT @limit`,
    ),
    after: prepare<[NameRange & { revision: number }]>(
      `SELECT ${COLUMNS} FROM kine WHERE id > @revision AND name >= @lo AND name < @hi ORDER BY id`,
    ),
    maxId: db.prepare<[], { id: number | null }>(`SELECT MAX(id) AS id FROM kine`),
    minId: db.prepare<[], { id: number | null }>(`SELECT MIN(id) AS id FROM kine`),
    sequence: db.prepare<[], { seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'kine'`),
    getMeta: db.prepare<[string], { value: number }>(`SELECT value FROM meta WHERE name = ?`),
    setMeta: db.prepare(`INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
    compactWindow: db.prepare(
      `DELETE FROM kine WHERE id > @lo AND id <= @hi AND (deleted = 1 OR EXISTS (
         SELECT 1 FROM kine AS newer WHERE newer.name = kine.name AND newer.id > kine.id AND newer.id <= @target))`,
    ),
  };
}

/** Typed access to the log table. */
export class LogTable {
  readonly transaction: (body: () => void) => void;
  private readonly statements: ReturnType<typeof prepareStatements>;

  constructor(readonly db: Database.Database) {
    this.statements = prepareStatements(db);
    this.transaction = (body) => db.transaction(body)();
  }

  /** The key's latest row, live or tombstone. */
  latest(name: string): LogRow | undefined {
    const row = this.statements.latest.get(name);
    return row && fromDb(row);
  }

  insert(row: LogRow): void {
    this.statements.insert.run({ ...row, created: row.created ? 1 : 0, deleted: row.deleted ? 1 : 0 });
  }

  /** Live keys in range as of `revision`, by name; `limit` -1 for all. */
  listAt(range: NameRange, revision: number, limit: number): LogRow[] {
    return this.statements.listAt.all({ ...range, revision, limit }).map(fromDb);
  }

  /** All rows in range with id > revision, by id. */
  rowsAfter(range: NameRange, revision: number): LogRow[] {
    return this.statements.after.all({ ...range, revision }).map(fromDb);
  }

  /** The last revision ever handed out (kept by AUTOINCREMENT even after its row is compacted). */
  lastRevision(): number {
    return Math.max(this.statements.sequence.get()?.seq ?? 0, this.statements.maxId.get()?.id ?? 0);
  }

  firstRowId(): number {
    return this.statements.minId.get()?.id ?? 0;
  }

  meta(name: string): number {
    return this.statements.getMeta.get(name)?.value ?? 0;
  }

  setMeta(name: string, value: number): void {
    this.statements.setMeta.run(name, value);
  }

  /** Deletes rows in (lo, hi] superseded at or below `target`, and tombstones. */
  compactWindow(lo: number, hi: number, target: number): void {
    this.statements.compactWindow.run({ lo, hi, target });
  }
}
