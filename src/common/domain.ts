/** The words of SPEC §3–§5, shared by every feature. */
export const ROLES = ['admin', 'coordinator', 'mediator', 'court_liaison', 'agency_observer'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = ['committee', 'court', 'arbitration_commission', 'justice_bureau'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const CASE_STATUSES = [
  'submitted',
  'accepted',
  'in_mediation',
  'performing',
  'defaulted',
  'referred',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CLOSURE_REASONS = [
  'rejected',
  'respondent_refused',
  'withdrawn',
  'settled',
  'mediation_failed',
  'returned_to_origin',
  'litigation',
  'enforcement_concluded',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const CASE_SOURCES = [
  'walk_in',
  'hotline',
  'online',
  'court_delegated',
  'court_entrusted',
  'arbitration_transfer',
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** Sources whose case came from a court or the arbitration commission and returns there if not settled. */
export const ORIGIN_SOURCES: readonly CaseSource[] = [
  'court_delegated',
  'court_entrusted',
  'arbitration_transfer',
];
export const COURT_SOURCES: readonly CaseSource[] = ['court_delegated', 'court_entrusted'];

export const ID_TYPES = [
  'resident_id',
  'hk_macao_taiwan_permit',
  'foreign_permanent_resident',
  'passport',
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const CLAIM_TYPES = [
  'wage_arrears',
  'economic_compensation',
  'work_injury_medical',
  'work_injury_benefits',
  'damages',
  'social_insurance',
  'labour_relationship',
  'welfare',
  'other',
] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];
