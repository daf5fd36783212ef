import type { CaseSource, CaseStatus, ClaimType, ClosureReason, IdType } from '../common/domain';

/** A case row as selected by CASE_COLUMNS. */
export interface CaseRow {
  id: string;
  case_no: string;
  committee_id: string;
  status: CaseStatus;
  closure_reason: ClosureReason | null;
  version: number;
  source: CaseSource;
  origin_organisation_id: string | null;
  origin_reference: string | null;
  procedure: string | null;
  application_received_at: Date;
  mediator_id: string | null;
  separate_dispute: boolean;
  worker_name: string;
  worker_id_type: IdType;
  worker_id_cipher: string;
  worker_id_index: string;
  worker_id_masked: string;
  worker_phone: string;
  worker_email: string | null;
  worker_address: string | null;
  employer_name: string;
  employer_credit_code: string | null;
  employer_person_id_type: IdType | null;
  employer_person_id_cipher: string | null;
  employer_person_id_masked: string | null;
  employer_key: string;
  employer_address: string | null;
  employer_domicile_division_code: string | null;
  employer_whereabouts_unknown: boolean;
  employer_contact_name: string | null;
  employer_contact_phone: string | null;
  employer_contact_email: string | null;
  employment_start_date: string;
  employment_end_date: string | null;
  employment_position: string | null;
  knew_of_infringement_on: string | null;
  facts: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  /** Set when the mediation deadline lapsed, cleared by an extension (SPEC §6, deadlines feature). */
  mediation_overdue?: boolean;
}

export interface ClaimRow {
  id: string;
  case_id: string;
  position: number;
  type: ClaimType;
  amount_fen: string;
  description: string | null;
}

export function claimView(c: ClaimRow) {
  return { id: c.id, type: c.type, amountFen: Number(c.amount_fen), description: c.description };
}

/** The case as every staff answer shows it: ID numbers masked unless a reveal was asked for and audited. */
export function caseView(
  row: CaseRow,
  claims: ClaimRow[],
  revealed?: { workerIdNumber?: string; employerIdNumber?: string },
) {
  return {
    id: row.id,
    caseNo: row.case_no,
    committeeId: row.committee_id,
    status: row.status,
    closureReason: row.closure_reason,
    version: row.version,
    source: row.source,
    originOrganisationId: row.origin_organisation_id,
    originReference: row.origin_reference,
    procedure: row.procedure,
    applicationReceivedAt: row.application_received_at.toISOString(),
    mediatorId: row.mediator_id,
    separateDispute: row.separate_dispute,
    worker: {
      name: row.worker_name,
      idType: row.worker_id_type,
      idNumber: revealed?.workerIdNumber ?? row.worker_id_masked,
      phone: row.worker_phone,
      email: row.worker_email,
      address: row.worker_address,
    },
    employer: {
      name: row.employer_name,
      creditCode: row.employer_credit_code,
      idType: row.employer_person_id_type,
      idNumber: revealed?.employerIdNumber ?? row.employer_person_id_masked,
      address: row.employer_address,
      domicileDivisionCode: row.employer_domicile_division_code,
      whereaboutsUnknown: row.employer_whereabouts_unknown,
      contactName: row.employer_contact_name,
      contactPhone: row.employer_contact_phone,
      contactEmail: row.employer_contact_email,
    },
    employment: {
      startDate: row.employment_start_date,
      endDate: row.employment_end_date,
      position: row.employment_position,
    },
    claims: claims.map(claimView),
    claimedTotalFen: claims.reduce((s, c) => s + Number(c.amount_fen), 0),
    knewOfInfringementOn: row.knew_of_infringement_on,
    facts: row.facts,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    mediationOverdue:
      row.mediation_overdue === true && (row.status === 'accepted' || row.status === 'in_mediation'),
  };
}

/** The compact form used in lists: no facts, no contact details. */
export type CaseListRow = Pick<
  CaseRow,
  | 'id'
  | 'case_no'
  | 'committee_id'
  | 'status'
  | 'closure_reason'
  | 'version'
  | 'source'
  | 'mediator_id'
  | 'worker_name'
  | 'worker_id_masked'
  | 'employer_name'
> & {
  claimed_total_fen: string;
  /** ISO instants as PostgreSQL formats them (`ISO_INSTANT`): a list page parses no dates. */
  application_received_at: string;
  created_at: string;
};

export function caseListItem(row: CaseListRow) {
  return {
    id: row.id,
    caseNo: row.case_no,
    committeeId: row.committee_id,
    status: row.status,
    closureReason: row.closure_reason,
    version: row.version,
    source: row.source,
    mediatorId: row.mediator_id,
    workerName: row.worker_name,
    workerIdNumber: row.worker_id_masked,
    employerName: row.employer_name,
    claimedTotalFen: Number(row.claimed_total_fen),
    applicationReceivedAt: row.application_received_at,
    createdAt: row.created_at,
  };
}
