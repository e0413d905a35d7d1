import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Role } from '@kefalet/events';

/**
 * What the write-side keeps outside the event log: credentials, sessions, idempotent responses and
 * pending mobile-signature challenges. Secrets (password hashes, one-time codes) live only here.
 */
export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly fullName: string;
  readonly tckn: string;
  readonly mobilePhone: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly bankCode?: string;
  readonly branchCode?: string;
  readonly createdAt: string;
}

export interface StoredResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly body: string;
}

export interface SignatureChallenge {
  readonly id: string;
  readonly userId: string;
  readonly contractId: string;
  readonly contractVersion: string;
  readonly codeHash: string;
  readonly expiresAt: string;
  readonly attempts: number;
}

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export interface IdentityStore {
  createUser(user: UserRecord): void;
  userByEmail(email: string): UserRecord | undefined;
  userById(id: string): UserRecord | undefined;
  countUsers(): number;
  createSession(session: { id: string; userId: string; expiresAt: Date; now: Date }): void;
  isSessionActive(id: string, now: Date): boolean;
  revokeSession(id: string, now: Date): void;
  storedResponse(userId: string, key: string): StoredResponse | undefined;
  storeResponse(userId: string, key: string, response: StoredResponse, now: Date): void;
  saveChallenge(challenge: SignatureChallenge): void;
  pendingChallenge(userId: string, contractId: string): SignatureChallenge | undefined;
  countChallengeAttempt(id: string): void;
  consumeChallenge(id: string, now: Date): void;
  close(): void;
}

export function openIdentityStore(file: string): IdentityStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      full_name TEXT NOT NULL,
      tckn TEXT NOT NULL,
      mobile_phone TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      role TEXT NOT NULL,
      bank_code TEXT,
      branch_code TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      revoked_at TEXT
    );
    CREATE TABLE IF NOT EXISTS idempotent_responses (
      user_id TEXT NOT NULL,
      key TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      status_code INTEGER NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (user_id, key)
    );
    CREATE TABLE IF NOT EXISTS signature_challenges (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      contract_id TEXT NOT NULL,
      contract_version TEXT NOT NULL,
      code_hash TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      used_at TEXT
    );
  `);

  type UserRow = {
    id: string;
    email: string;
    full_name: string;
    tckn: string;
    mobile_phone: string;
    password_hash: string;
    role: Role;
    bank_code: string | null;
    branch_code: string | null;
    created_at: string;
  };
  const toUser = (row: UserRow | undefined): UserRecord | undefined =>
    row && {
      id: row.id,
      email: row.email,
      fullName: row.full_name,
      tckn: row.tckn,
      mobilePhone: row.mobile_phone,
      passwordHash: row.password_hash,
      role: row.role,
      ...(row.bank_code ? { bankCode: row.bank_code } : {}),
      ...(row.branch_code ? { branchCode: row.branch_code } : {}),
      createdAt: row.created_at,
    };

  const insertUser = db.prepare(
    `INSERT INTO users (id, email, full_name, tckn, mobile_phone, password_hash, role, bank_code, branch_code, created_at)
     VALUES (@id, @email, @fullName, @tckn, @mobilePhone, @passwordHash, @role, @bankCode, @branchCode, @createdAt)`,
  );
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const countUsers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  const insertSession = db.prepare(
    'INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const activeSession = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?',
  );
  const revokeSession = db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ?');
  const getResponse = db.prepare<
    [string, string],
    { request_hash: string; status_code: number; body: string }
  >(
    'SELECT request_hash, status_code, body FROM idempotent_responses WHERE user_id = ? AND key = ?',
  );
  const putResponse = db.prepare(
    `INSERT OR IGNORE INTO idempotent_responses (user_id, key, request_hash, status_code, body, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertChallenge = db.prepare(
    `INSERT INTO signature_challenges (id, user_id, contract_id, contract_version, code_hash, expires_at, attempts)
     VALUES (@id, @userId, @contractId, @contractVersion, @codeHash, @expiresAt, @attempts)`,
  );
  const latestChallenge = db.prepare<
    [string, string],
    {
      id: string;
      user_id: string;
      contract_id: string;
      contract_version: string;
      code_hash: string;
      expires_at: string;
      attempts: number;
    }
  >(
    `SELECT * FROM signature_challenges WHERE user_id = ? AND contract_id = ? AND used_at IS NULL
     ORDER BY rowid DESC LIMIT 1`,
  );
  const bumpAttempts = db.prepare(
    'UPDATE signature_challenges SET attempts = attempts + 1 WHERE id = ?',
  );
  const useChallenge = db.prepare('UPDATE signature_challenges SET used_at = ? WHERE id = ?');

  return {
    createUser(user) {
      try {
        insertUser.run({ bankCode: null, branchCode: null, ...user });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new EmailTakenError(user.email);
        }
        throw error;
      }
    },
    userByEmail: (email) => toUser(byEmail.get(email)),
    userById: (id) => toUser(byId.get(id)),
    countUsers: () => countUsers.get()?.n ?? 0,
    createSession({ id, userId, expiresAt, now }) {
      insertSession.run(id, userId, now.toISOString(), expiresAt.toISOString());
    },
    isSessionActive: (id, now) => activeSession.get(id, now.toISOString()) !== undefined,
    revokeSession(id, now) {
      revokeSession.run(now.toISOString(), id);
    },
    storedResponse(userId, key) {
      const row = getResponse.get(userId, key);
      return row && { requestHash: row.request_hash, statusCode: row.status_code, body: row.body };
    },
    storeResponse(userId, key, response, now) {
      putResponse.run(
        userId,
        key,
        response.requestHash,
        response.statusCode,
        response.body,
        now.toISOString(),
      );
    },
    saveChallenge(challenge) {
      insertChallenge.run(challenge);
    },
    pendingChallenge(userId, contractId) {
      const row = latestChallenge.get(userId, contractId);
      return (
        row && {
          id: row.id,
          userId: row.user_id,
          contractId: row.contract_id,
          contractVersion: row.contract_version,
          codeHash: row.code_hash,
          expiresAt: row.expires_at,
          attempts: row.attempts,
        }
      );
    },
    countChallengeAttempt(id) {
      bumpAttempts.run(id);
    },
    consumeChallenge(id, now) {
      useChallenge.run(now.toISOString(), id);
    },
    close() {
      db.close();
    },
  };
}
