/** Helpers shared by the foundation e2e specs (cases, people, errors, idempotency). */
import type { TestEnv } from './app';
import { residentId } from './fixtures';
import { client, type Res } from './http';

/** Asserts an RFC 9457 answer: its status, its content type and its stable code. */
export function expectProblem(res: Res, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
}

/** The dotted field paths a 400 answer names, each once, sorted. */
export function fieldsOf(res: Res): string[] {
  return [...new Set(((res.body?.errors ?? []) as Array<{ field: string }>).map((e) => e.field))].sort();
}

let workerSeq = 0;

/** A valid resident ID no other caseBody() of this file uses (its own birth date). */
export function freshWorkerId(): string {
  workerSeq += 1;
  return residentId('430102', `${1970 + Math.floor(workerSeq / 1000)}0615`, workerSeq % 1000);
}

export async function userIdOf(env: TestEnv, token: string): Promise<string> {
  const r = await client(env.url, token).get('/api/v1/users/me');
  if (r.status !== 200) throw new Error(`users/me: ${r.status}`);
  return r.body.id;
}

export async function caseEvents(env: TestEnv, caseId: string) {
  const r = await env.db.query(
    `SELECT action, from_status, to_status, closure_reason, reason, payload FROM case_events WHERE case_id = $1 ORDER BY id`,
    [caseId],
  );
  return r.rows as Array<{
    action: string;
    from_status: string | null;
    to_status: string;
    closure_reason: string | null;
    reason: string | null;
    payload: Record<string, unknown>;
  }>;
}

export async function auditRows(env: TestEnv, action: string, entityId: string) {
  const r = await env.db.query(
    `SELECT user_id, action, entity, entity_id, detail FROM audit_log WHERE action = $1 AND entity_id = $2 ORDER BY id`,
    [action, entityId],
  );
  return r.rows as Array<{ user_id: string | null; detail: Record<string, unknown> }>;
}
