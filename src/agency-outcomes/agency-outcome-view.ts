import type { EntityManager } from 'typeorm';

export interface AgencyOutcomeRow {
  id: string;
  case_id: string;
  organisation_id: string;
  organisation_name: string;
  kind: string;
  decided_on: string;
  reference: string | null;
  amount_awarded_fen: string | null;
  note: string | null;
  recorded_by: string | null;
  created_at: Date;
}

export function agencyOutcomeView(r: AgencyOutcomeRow) {
  return {
    id: r.id,
    caseId: r.case_id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    kind: r.kind,
    decidedOn: r.decided_on,
    reference: r.reference,
    amountAwardedFen: r.amount_awarded_fen === null ? null : Number(r.amount_awarded_fen),
    note: r.note,
    recordedBy: r.recorded_by,
    createdAt: r.created_at.toISOString(),
  };
}

export const AGENCY_OUTCOME_COLUMNS = `o.id, o.case_id, o.organisation_id, g.name AS organisation_name, o.kind,
  o.decided_on, o.reference, o.amount_awarded_fen, o.note, o.recorded_by,
  o.created_at`;

/** A case's agency outcomes, oldest first: one query, shown on the case detail (SPEC §7). */
export async function agencyOutcomesOfCase(m: EntityManager, caseId: string) {
  const rows: AgencyOutcomeRow[] = await m.query(
    `SELECT ${AGENCY_OUTCOME_COLUMNS} FROM agency_outcomes o JOIN organisations g ON g.id = o.organisation_id
      WHERE o.case_id = $1 ORDER BY o.created_at, o.id`,
    [caseId],
  );
  return rows.map(agencyOutcomeView);
}
