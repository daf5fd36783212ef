import type { AuthUser } from '../auth/auth-user';

/**
 * SPEC §3 visibility, as SQL: each role sees a set of cases, and the queries say so, so that a case out of
 * scope is simply not found (404) by every read and every action.
 * Returns a condition on the alias `c`, appending its parameters to `params`.
 */
export function caseScope(user: AuthUser, params: unknown[]): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  switch (user.role) {
    case 'coordinator':
      return `c.committee_id = ${p(user.organisationId)}`;
    case 'mediator':
      // Their own cases, and the committee's unassigned ones (read-only: the lifecycle refuses their actions).
      return `(c.committee_id = ${p(user.organisationId)} AND (c.mediator_id = ${p(user.id)}
        OR (c.mediator_id IS NULL AND c.status IN ('submitted', 'accepted'))))`;
    case 'court_liaison': {
      // The cases its court sent, and the cases of referrals addressed to its court (SPEC §3, §9).
      const court = p(user.organisationId);
      return `(c.origin_organisation_id = ${court}
        OR EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = c.id AND r.court_id = ${court}))`;
    }
    case 'admin':
      // Admins read case contents only one at a time, through an audited read (CasesService.get).
      return 'TRUE';
    default:
      return 'FALSE';
  }
}
