import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import type { CaseRow } from './case-view';

/** A part of the case detail another feature adds (e.g. a defaulted case's payment-order eligibility, SPEC §9). */
export type CaseDetailPart = (row: CaseRow, user: AuthUser) => Promise<Record<string, unknown>>;

/**
 * Features that add to `GET /cases/{id}` register here, so that `cases/` shows them without importing them (the
 * arrows point from the features to cases, as with CaseTransitions).
 */
@Injectable()
export class CaseDetailParts {
  private readonly parts: CaseDetailPart[] = [];

  register(part: CaseDetailPart): void {
    this.parts.push(part);
  }

  async of(row: CaseRow, user: AuthUser): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const part of this.parts) Object.assign(out, await part(row, user));
    return out;
  }
}
