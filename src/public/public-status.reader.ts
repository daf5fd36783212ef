import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CaseSource, CaseStatus, ClaimType, ClosureReason } from '../common/domain';
import { isDatabaseUnavailable } from '../common/problem.filter';
import { type Lang, MESSAGES, statusLabel } from '../i18n/messages';
import { nextStep, type PublicPlace } from './next-step';

/**
 * Tables written by other features, read when they exist (a deployment may run before their migrations).
 * Their presence is checked at start, and again at most once a minute while any is missing.
 */
const OPTIONAL_TABLES = [
  'sessions',
  'agreements',
  'instalments',
  'deadlines',
  'referrals',
  'notifications',
  'offices',
] as const;
type OptionalTable = (typeof OPTIONAL_TABLES)[number];
const RECHECK_MS = 60_000;

interface CaseFacts {
  id: string;
  case_no: string;
  status: CaseStatus;
  closure_reason: ClosureReason | null;
  source: CaseSource;
  committee_id: string;
  committee: PublicPlace;
  arbitration: PublicPlace | null;
  origin: PublicPlace | null;
  mediator_name: string | null;
  claim_types: ClaimType[] | null;
}

interface EventRow {
  at: Date;
  action: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  closure_reason: ClosureReason | null;
}

type Json = Record<string, unknown>;

/**
 * What a worker may see of their case (SPEC §10), read with its own SQL: never session notes, ID numbers or
 * the other party's contact details — none of those columns is selected here.
 */
@Injectable()
export class PublicStatusReader implements OnApplicationBootstrap {
  private readonly logger = new Logger('PublicStatusReader');
  private present = new Set<OptionalTable>();
  private checkedAt = 0;

  constructor(private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((e: Error) => this.logger.warn(`table check deferred: ${e.message}`));
  }

  async has(table: OptionalTable): Promise<boolean> {
    if (this.present.size < OPTIONAL_TABLES.length && Date.now() - this.checkedAt > RECHECK_MS) {
      await this.refresh();
    }
    return this.present.has(table);
  }

  private async refresh(): Promise<void> {
    const rows: Array<{ t: OptionalTable }> = await this.db.query(
      `SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass('public.' || t) IS NOT NULL`,
      [OPTIONAL_TABLES],
    );
    this.present = new Set(rows.map((r) => r.t));
    this.checkedAt = Date.now();
  }

  /** The case a status check names, with the hash its code must match. */
  async findForCheck(caseNo: string): Promise<{ id: string; access_code_hash: string } | undefined> {
    const rows: Array<{ id: string; access_code_hash: string }> = await this.db.query(
      `SELECT id, access_code_hash FROM cases WHERE case_no = $1`,
      [caseNo],
    );
    return rows[0];
  }

  /** Committees open to online applications, with their offices where the service keeps them. */
  async committees() {
    const rows: Array<PublicPlace & { id: string }> = await this.db.query(
      `SELECT id, name, address, phone, hours FROM organisations WHERE kind = 'committee' ORDER BY name, id`,
    );
    const offices = (await this.has('offices'))
      ? await this.optional<{ o: Json }>('offices', `SELECT to_jsonb(o) AS o FROM offices o`, [])
      : [];
    return {
      items: rows.map((c) => ({
        id: c.id,
        name: c.name,
        address: c.address,
        phone: c.phone,
        hours: c.hours,
        offices: offices
          .map((r) => r.o)
          .filter((o) => o.committee_id === c.id || o.organisation_id === c.id)
          .map((o) => ({
            name: str(o.name),
            address: str(o.address),
            phone: str(o.phone),
            hours: str(o.hours),
          })),
      })),
      nextCursor: null,
    };
  }

  /** SPEC §10's answer, in `lang`. */
  async read(caseId: string, lang: Lang) {
    const facts = await this.caseFacts(caseId);
    const [events, session, agreement, deadlines, referrals] = await Promise.all([
      this.db.query(
        `SELECT at, action, from_status, to_status, closure_reason FROM case_events WHERE case_id = $1 ORDER BY id`,
        [caseId],
      ) as Promise<EventRow[]>,
      this.nextSession(caseId),
      this.agreement(caseId),
      this.deadlines(caseId),
      this.referrals(caseId),
    ]);
    const m = MESSAGES[lang];
    // Sessions and the mediation period matter only while mediation is under way.
    const mediating = facts.status === 'accepted' || facts.status === 'in_mediation';
    const litigationCourt =
      facts.closure_reason === 'litigation'
        ? await this.place(
            referrals.find((r) => r.kind === 'payment_order' && r.status === 'terminated')?.courtId ??
              referrals.find((r) => r.kind === 'payment_order')?.courtId ??
              null,
          )
        : null;
    const mediationLastDay = mediating ? latest(deadlines, 'mediation', ['pending', 'fired']) : null;
    // A referred case's next step follows its latest referral (SPEC §9).
    const open = facts.status === 'referred' ? referrals.at(-1) : undefined;
    const referral = open
      ? {
          status: open.status,
          court: await this.place(open.courtId),
          enforcementLastDay: latest(deadlines, 'enforcement_application', ['pending', 'fired']),
        }
      : null;
    return {
      caseNo: facts.case_no,
      status: facts.status,
      closureReason: facts.closure_reason,
      statusLabel: statusLabel(lang, facts.status, facts.closure_reason),
      committee: {
        name: facts.committee.name,
        phone: facts.committee.phone,
        address: facts.committee.address,
        hours: facts.committee.hours,
      },
      mediator: facts.mediator_name,
      nextSession:
        mediating && session
          ? {
              startsAt: session.startsAt.toISOString(),
              mode: session.mode,
              modeLabel: m.sessionMode[session.mode] ?? session.mode,
              location: session.location,
            }
          : null,
      mediationDeadline: mediationLastDay ? { lastDay: mediationLastDay } : null,
      agreement,
      referrals: referrals.map((r) => ({
        kind: r.kind,
        status: r.status,
        kindLabel: m.referralKind[r.kind] ?? r.kind,
        statusLabel: m.referralStatus[r.status] ?? r.status,
      })),
      nextStep: nextStep(lang, {
        status: facts.status,
        closureReason: facts.closure_reason,
        source: facts.source,
        claimTypes: facts.claim_types ?? [],
        committee: facts.committee,
        arbitration: facts.arbitration,
        origin: facts.origin,
        litigationCourt,
        nextSession: mediating ? session : null,
        decisionLastDay:
          facts.status === 'submitted'
            ? latest(deadlines, 'acceptance_decision', ['pending', 'fired'])
            : null,
        mediationLastDay,
        limitationLastDay: facts.status === 'closed' ? earliest(deadlines, 'limitation', ['pending']) : null,
        nextInstalment: facts.status === 'performing' ? (agreement?.nextInstalment ?? null) : null,
        referral,
      }),
      timeline: timeline(lang, events),
    };
  }

  private async caseFacts(caseId: string): Promise<CaseFacts> {
    const rows: CaseFacts[] = await this.db.query(
      `SELECT c.id, c.case_no, c.status, c.closure_reason, c.source, c.committee_id,
              json_build_object('name', com.name, 'address', com.address, 'phone', com.phone, 'hours', com.hours) AS committee,
              CASE WHEN arb.id IS NULL THEN NULL ELSE
                json_build_object('name', arb.name, 'address', arb.address, 'phone', arb.phone, 'hours', arb.hours) END AS arbitration,
              CASE WHEN org.id IS NULL THEN NULL ELSE
                json_build_object('name', org.name, 'address', org.address, 'phone', org.phone, 'hours', org.hours) END AS origin,
              u.display_name AS mediator_name,
              (SELECT array_agg(DISTINCT cl.type::text) FROM case_claims cl WHERE cl.case_id = c.id) AS claim_types
         FROM cases c
         JOIN organisations com ON com.id = c.committee_id
         LEFT JOIN organisations arb ON arb.id = com.partner_arbitration_commission_id
         LEFT JOIN organisations org ON org.id = c.origin_organisation_id
         LEFT JOIN users u ON u.id = c.mediator_id
        WHERE c.id = $1`,
      [caseId],
    );
    return rows[0];
  }

  private async place(orgId: string | null): Promise<PublicPlace | null> {
    if (!orgId) return null;
    const rows: PublicPlace[] = await this.db.query(
      `SELECT name, address, phone, hours FROM organisations WHERE id::text = $1`,
      [orgId],
    );
    return rows[0] ?? null;
  }

  /** The next session not yet over: when, how and where — never its notes or attendees. */
  private async nextSession(caseId: string) {
    if (!(await this.has('sessions'))) return null;
    const rows = await this.optional<{ starts_at: Date; mode: string; location: string | null }>(
      'sessions',
      `SELECT starts_at, mode::text AS mode, location FROM sessions
        WHERE case_id = $1 AND status = 'scheduled' AND starts_at + duration_minutes * interval '1 minute' > now()
        ORDER BY starts_at LIMIT 1`,
      [caseId],
    );
    const s = rows[0];
    return s ? { startsAt: s.starts_at, mode: s.mode, location: s.location } : null;
  }

  /**
   * Agreement totals as the agreement's own answer counts them: paid is what the ledger allocated to the
   * instalments; the next instalment is the first in due order with something outstanding.
   */
  private async agreement(caseId: string) {
    if (!(await this.has('agreements')) || !(await this.has('instalments'))) return null;
    const rows = await this.optional<{
      total_fen: string;
      paid: string;
      due_on: string | null;
      remaining: string | null;
    }>(
      'agreements',
      `SELECT a.total_fen,
              (SELECT coalesce(sum(i.paid_fen), 0) FROM instalments i WHERE i.agreement_id = a.id) AS paid,
              n.due_on::text AS due_on, n.amount_fen - n.paid_fen AS remaining
         FROM agreements a
         LEFT JOIN LATERAL (SELECT due_on, amount_fen, paid_fen FROM instalments i
                             WHERE i.agreement_id = a.id AND i.paid_fen < i.amount_fen
                             ORDER BY i.due_on, i.seq LIMIT 1) n ON true
        WHERE a.case_id = $1`,
      [caseId],
    );
    const a = rows[0];
    if (!a) return null;
    const agreedFen = Number(a.total_fen);
    const paidFen = Number(a.paid);
    return {
      agreedFen,
      paidFen,
      outstandingFen: agreedFen - paidFen,
      nextInstalment: a.due_on ? { dueOn: a.due_on, amountFen: Number(a.remaining) } : null,
    };
  }

  private async deadlines(caseId: string): Promise<Json[]> {
    if (!(await this.has('deadlines'))) return [];
    const rows = await this.optional<{ d: Json }>(
      'deadlines',
      `SELECT to_jsonb(d) AS d FROM deadlines d WHERE d.case_id = $1`,
      [caseId],
    );
    return rows.map((r) => r.d);
  }

  private async referrals(caseId: string) {
    if (!(await this.has('referrals'))) return [];
    const rows = await this.optional<{ r: Json }>(
      'referrals',
      `SELECT to_jsonb(r) AS r FROM referrals r WHERE r.case_id = $1`,
      [caseId],
    );
    return rows
      .map((x) => x.r)
      .sort((a, b) => String(a.created_at ?? '').localeCompare(String(b.created_at ?? '')))
      .map((r) => ({ kind: String(r.kind), status: String(r.status), courtId: str(r.court_id) }));
  }

  /**
   * A read of another feature's table: while its shape is still settling, a query that does not fit it is
   * logged and the part left out, never a failed status check. A database that is down still answers 503.
   */
  private async optional<T>(table: OptionalTable, sql: string, params: unknown[]): Promise<T[]> {
    try {
      return (await this.db.query(sql, params)) as T[];
    } catch (e) {
      if (isDatabaseUnavailable(e)) throw e;
      this.logger.warn(`reading ${table} for the status check failed: ${(e as Error).message}`);
      return [];
    }
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function dayOf(d: Json): string | null {
  const v = d.last_day ?? d.lastDay;
  return typeof v === 'string' ? v.slice(0, 10) : null;
}

function pick(deadlines: Json[], kind: string, statuses: string[]): string[] {
  return deadlines
    .filter((d) => d.kind === kind && statuses.includes(String(d.status)))
    .map(dayOf)
    .filter((d): d is string => d !== null)
    .sort();
}

/** The mediation period's current last day (an extension supersedes the old one, so the latest stands). */
function latest(deadlines: Json[], kind: string, statuses: string[]): string | null {
  return pick(deadlines, kind, statuses).at(-1) ?? null;
}

/** The limitation period that runs out first (one per claim). */
function earliest(deadlines: Json[], kind: string, statuses: string[]): string | null {
  return pick(deadlines, kind, statuses)[0] ?? null;
}

/** The public timeline: the steps a worker may know of, never reasons, notes or who typed them. */
function timeline(lang: Lang, events: EventRow[]) {
  const m = MESSAGES[lang];
  const out: Array<{ at: string; label: string }> = [];
  for (const e of events) {
    const at = e.at.toISOString();
    const own = m.timeline[e.action];
    if (e.to_status === 'closed' && e.from_status !== 'closed') {
      // Closing steps read as the closure itself; an agreement or payment that settles the case keeps its line.
      if (own && (e.action === 'record_agreement' || e.action === 'record_payment'))
        out.push({ at, label: own });
      out.push({ at, label: statusLabel(lang, 'closed', e.closure_reason) });
    } else if (own) out.push({ at, label: own });
  }
  return out.slice(-100);
}
