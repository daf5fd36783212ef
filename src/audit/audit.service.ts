import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface AuditRecord {
  userId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
  client?: string | null;
}

/** SPEC §13: logins, reveals, corrections and every change. Written inside the change's own transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  async record(entry: AuditRecord, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (user_id, action, entity, entity_id, detail, client) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        entry.userId,
        entry.action,
        entry.entity,
        entry.entityId ?? null,
        entry.detail ?? {},
        entry.client ?? null,
      ],
    );
  }

  async list(limit: number, before?: string): Promise<{ items: unknown[]; nextCursor: string | null }> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id, at, user_id AS "userId", action, entity, entity_id AS "entityId", detail, client
         FROM audit_log WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [before ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
