import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { IdPipe } from '../common/params';
import { type CompleteInTx, Idempotent, IdempotencyHook } from '../idempotency/idempotency.interceptor';
import { RecordAgencyOutcomeDto } from './agency-outcomes.dto';
import { AgencyOutcomesService } from './agency-outcomes.service';

/** POST /cases/{id}/agency-outcomes (SPEC §7, §11): what became of a case after it left mediation. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class AgencyOutcomesController {
  constructor(private readonly outcomes: AgencyOutcomesService) {}

  @Post(':id/agency-outcomes')
  @Roles('court_liaison', 'agency_observer')
  @Idempotent()
  record(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: RecordAgencyOutcomeDto,
    @IdempotencyHook() hook?: CompleteInTx,
  ) {
    return this.outcomes.record(user, id, body, hook);
  }
}
