/**
 * Who hears a notification (SPEC §7 routing), named by role and resolved when it is sent, not when it was
 * planned: a reminder planned at acceptance reaches the mediator assigned since, and a deactivated user hears
 * nothing.
 */
import type { EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/case-view';

/**
 * - `mediator`: the case's assigned mediator;
 * - `coordinators`: the active coordinators of the case's committee;
 * - `origin_liaisons`: the liaisons of the court that sent the case;
 * - `worker`, `employer_contact`: people without an account, reached by SMS or e-mail;
 * - `referral_court`: the court a referral is addressed to (a court window's reminder: the deadline's subject is
 *   the referral) — its liaisons, webhooks and e-mail, resolved by the reminder worker as an agency.
 */
export const RECIPIENT_ROLES = [
  'mediator',
  'coordinators',
  'origin_liaisons',
  'worker',
  'employer_contact',
  'referral_court',
] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

const EXTERNAL: readonly RecipientRole[] = ['worker', 'employer_contact'];

export interface ResolvedRecipients {
  /** Staff users: they get an inbox entry. */
  userIds: string[];
  /** Roles without an account, for the SMS and e-mail channels. */
  external: RecipientRole[];
}

export async function resolveRecipients(
  m: EntityManager,
  caseRow: Pick<CaseRow, 'mediator_id' | 'committee_id' | 'origin_organisation_id'>,
  roles: readonly RecipientRole[],
): Promise<ResolvedRecipients> {
  const rows: Array<{ id: string }> = await m.query(
    `SELECT u.id FROM users u
      WHERE u.active AND (
            ($1 AND u.id = $2 AND u.role = 'mediator')
         OR ($3 AND u.organisation_id = $4 AND u.role = 'coordinator')
         OR ($5 AND u.organisation_id = $6 AND u.role = 'court_liaison'))
      ORDER BY u.id`,
    [
      roles.includes('mediator') && caseRow.mediator_id !== null,
      caseRow.mediator_id,
      roles.includes('coordinators'),
      caseRow.committee_id,
      roles.includes('origin_liaisons') && caseRow.origin_organisation_id !== null,
      caseRow.origin_organisation_id,
    ],
  );
  return { userIds: rows.map((r) => r.id), external: roles.filter((r) => EXTERNAL.includes(r)) };
}
