/**
 * Agencies answer back (SPEC §7): the API records agency outcomes; the case detail shows them
 * (`agencyOutcomesOfCase`) and the periodic report counts them. Listed as arrays for the application module.
 */
import { AgencyOutcomesController } from './agency-outcomes.controller';
import { AgencyOutcomesService } from './agency-outcomes.service';

export const AGENCY_OUTCOME_CONTROLLERS = [AgencyOutcomesController];
export const AGENCY_OUTCOME_PROVIDERS = [AgencyOutcomesService];
