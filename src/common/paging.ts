/**
 * Keyset pagination, one way for every list (SPEC §11: `{items, nextCursor}`, newest first): the cursor is the
 * last row's creation instant, to the microsecond, and id. SQL gives the instant with `CURSOR_AT(column)`.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ValidationFailedError } from './errors';
import { isOffsetDateTime } from './validation/decorators';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{10,200}$/, { message: 'must be a cursor from a previous page' })
  cursor?: string;
}

/** An instant as JavaScript's toISOString() writes it (UTC, milliseconds), formatted by PostgreSQL. */
export const ISO_INSTANT = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The SQL of a row's cursor instant (microseconds, UTC), e.g. `${CURSOR_AT('c.created_at')} AS cursor_at`. */
export const CURSOR_AT = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  // A strict date-time only: anything else Date.parse takes (`99999`) would reach PostgreSQL and fail there.
  if (!at || !id || !isOffsetDateTime(at) || !/^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(id)) {
    throw new ValidationFailedError([{ field: 'cursor', message: 'must be a cursor from a previous page' }]);
  }
  return { at, id };
}

/** The page and its next cursor from `limit + 1` rows carrying `cursor_at` and `id`. */
export function page<R extends { cursor_at: string; id: string }, V>(
  rows: R[],
  limit: number,
  view: (r: R) => V,
): { items: V[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit ? encodeCursor(last.cursor_at, last.id) : null,
  };
}
