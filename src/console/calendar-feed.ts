import { Controller, Delete, Get, HttpCode, Injectable, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Public, Roles } from '../auth/decorators';
import { NotFoundError } from '../common/errors';
import { MESSAGES } from '../i18n/messages';
import { type FeedEvent, renderCalendar } from './ical';

/** How far back the feed reaches: a calendar app keeps what it has seen, the feed need not carry years. */
const FEED_PAST_DAYS = 180;
const TOKEN_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The address the caller reached us at (behind TRUST_PROXY, as the proxy says). */
export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

interface FeedSessionRow {
  id: string;
  case_id: string;
  case_no: string;
  status: 'scheduled' | 'recorded';
  starts_at: Date;
  duration_minutes: number;
  mode: string;
  location: string | null;
  updated_at: Date;
}

/**
 * SPEC §8, §11: a mediator's sessions as an iCalendar feed a phone subscribes to. The URL's token is the only
 * credential, so it is 256 random bits, stored as a hash, replaced by a new one and removable at will.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(user: AuthUser, base: string): Promise<{ url: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
        [user.id, hashToken(token)],
      );
      await this.audit.record(
        { userId: user.id, action: 'calendar_feed_created', entity: 'user', entityId: user.id },
        m,
      );
    });
    return { url: `${base}/calendar-feeds/${token}.ics` };
  }

  async revoke(user: AuthUser): Promise<void> {
    await this.db.transaction(async (m) => {
      const res: [unknown[], number] = await m.query(`DELETE FROM calendar_feeds WHERE user_id = $1`, [
        user.id,
      ]);
      if (res[1]) {
        await this.audit.record(
          { userId: user.id, action: 'calendar_feed_revoked', entity: 'user', entityId: user.id },
          m,
        );
      }
    });
  }

  /** The feed of the token's owner, or null: unknown, revoked, or its owner no longer an active mediator. */
  async feed(token: string, base: string, now = new Date()): Promise<string | null> {
    const owners: Array<{ id: string; display_name: string }> = await this.db.query(
      `SELECT u.id, u.display_name FROM calendar_feeds f JOIN users u ON u.id = f.user_id
        WHERE f.token_hash = $1 AND u.active AND u.role = 'mediator'`,
      [hashToken(token)],
    );
    const owner = owners[0];
    if (!owner) return null;
    // The mediator's cases (those assigned to them now), their sessions that were not cancelled.
    const rows: FeedSessionRow[] = await this.db.query(
      `SELECT s.id, s.case_id, c.case_no, s.status, s.starts_at, s.duration_minutes, s.mode, s.location, s.updated_at
         FROM cases c JOIN sessions s ON s.case_id = c.id
        WHERE c.mediator_id = $1 AND s.status <> 'cancelled' AND s.starts_at >= $2
        ORDER BY s.starts_at, s.id`,
      [owner.id, new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000)],
    );
    const zh = MESSAGES.zh;
    const events: FeedEvent[] = rows.map((s) => ({
      uid: `session-${s.id}@labour-mediation`,
      startsAt: s.starts_at,
      endsAt: new Date(s.starts_at.getTime() + s.duration_minutes * 60_000),
      // The case number and the kind of session only: no party's ID number, no notes (SPEC §8).
      summary: `调解 ${s.case_no}（${zh.sessionMode[s.mode] ?? s.mode}）`,
      location: s.location,
      description: `案件 ${s.case_no}\n${base}/console/cases/${s.case_id}`,
      status: 'CONFIRMED',
      lastModified: s.updated_at,
    }));
    return renderCalendar(`调解安排 · ${owner.display_name}`, events, now);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me/calendar-feed')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  /** A new feed URL; the previous one stops working at once. */
  @Post()
  @Roles('mediator')
  create(@CurrentUser() user: AuthUser, @Req() req: FastifyRequest) {
    return this.feeds.create(user, baseUrl(req));
  }

  @Delete()
  @HttpCode(204)
  @Roles('mediator')
  async revoke(@CurrentUser() user: AuthUser) {
    await this.feeds.revoke(user);
  }
}

/** `GET /calendar-feeds/{token}.ics`, outside /api/v1 and without a bearer token: the token is the credential. */
@Controller('calendar-feeds')
export class CalendarFeedFileController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Public()
  @ApiExcludeEndpoint()
  @Get(':file')
  async file(
    @Param('file') file: string,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const token = TOKEN_FILE.exec(file)?.[1];
    const body = token ? await this.feeds.feed(token, baseUrl(req)) : null;
    if (body === null) throw new NotFoundError('Calendar feed');
    void reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="sessions.ics"')
      .header('cache-control', 'private, no-cache');
    return body;
  }
}
