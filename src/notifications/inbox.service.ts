import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { NotFoundError } from '../common/errors';
import { CURSOR_AT, decodeCursor, page } from '../common/paging';

export interface InboxEntry {
  userIds: readonly string[];
  caseId: string | null;
  kind: string;
  title: string;
  body: string;
  payload?: Record<string, unknown>;
  /** What caused it (e.g. `reminder:<id>`): one entry per user and cause, whatever retries happen. */
  sourceKey?: string;
}

interface NotificationRow {
  id: string;
  case_id: string | null;
  kind: string;
  title: string;
  body: string;
  payload: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

function view(n: NotificationRow) {
  return {
    id: n.id,
    caseId: n.case_id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    payload: n.payload,
    createdAt: n.created_at.toISOString(),
    readAt: n.read_at ? n.read_at.toISOString() : null,
    read: n.read_at !== null,
  };
}

/** The staff inbox (SPEC §7, in-app channel): written in the transaction of what caused it. */
@Injectable()
export class InboxService {
  constructor(private readonly db: DataSource) {}

  /** Returns how many entries were written (a repeated cause writes none). */
  async deliver(m: EntityManager, e: InboxEntry): Promise<number> {
    if (!e.userIds.length) return 0;
    const res: [unknown[], number] = await m.query(
      `INSERT INTO notifications (user_id, case_id, kind, title, body, payload, source_key)
       SELECT u, $2, $3, $4, $5, $6, $7 FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, source_key) WHERE source_key IS NOT NULL DO NOTHING`,
      [e.userIds, e.caseId, e.kind, e.title, e.body, e.payload ?? {}, e.sourceKey ?? null],
    );
    return res[1];
  }

  async list(user: AuthUser, q: { unread?: boolean; limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const params: unknown[] = [user.id];
    const where = ['n.user_id = $1'];
    if (q.unread) where.push('n.read_at IS NULL');
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      params.push(c.at, c.id);
      where.push(`(n.created_at, n.id) < ($2::timestamptz, $3::uuid)`);
    }
    params.push(limit + 1);
    const rows: Array<NotificationRow & { cursor_at: string }> = await this.db.query(
      `SELECT n.id, n.case_id, n.kind, n.title, n.body, n.payload, n.created_at, n.read_at,
              ${CURSOR_AT('n.created_at')} AS cursor_at
         FROM notifications n WHERE ${where.join(' AND ')}
        ORDER BY n.created_at DESC, n.id DESC LIMIT $${params.length}`,
      params,
    );
    return page(rows, limit, view);
  }

  /** Marks one's own entry read (idempotent); someone else's answers 404 like an unknown one. */
  async markRead(user: AuthUser, id: string) {
    const [found]: [NotificationRow[], number] = await this.db.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
       RETURNING id, case_id, kind, title, body, payload, created_at, read_at`,
      [id, user.id],
    );
    if (!found[0]) throw new NotFoundError('Notification');
    return view(found[0]);
  }
}
