/**
 * The referrals feature's parts (SPEC §9), for the API: eligibility, the referral and its packet, the liaison's
 * steps, and the listener that marks a referral paid when a payment settles its case. The court windows it starts
 * and meets are deadline kinds (src/deadlines/kinds/court-windows.ts), which both processes register.
 */
import { CaseDetailParts } from '../cases/case-detail-parts';
import { CaseReferralsController, ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

export const REFERRAL_PROVIDERS = [CaseDetailParts, ReferralsService];
export const REFERRAL_CONTROLLERS = [CaseReferralsController, ReferralsController];
