import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ValidationFailedError } from '../common/errors';
import { IdPipe } from '../common/params';
import { type CompleteInTx, Idempotent, IdempotencyHook } from '../idempotency/idempotency.interceptor';
import {
  AssignDto,
  CorrectCaseDto,
  CreateCaseDto,
  EmptyDto,
  FailDto,
  GetCaseQuery,
  ListCasesQuery,
  RejectDto,
  WithdrawDto,
} from './cases.dto';
import { CasesService } from './cases.service';

/** `If-Match: 3` or `If-Match: "3"`: the version the caller last saw (SPEC §5). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new ValidationFailedError([{ field: 'If-Match', message: 'must be a case version number' }]);
  return Number(m[1]);
}

@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'Case version; a stale one answers 409 STALE_VERSION',
})
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Roles('coordinator', 'court_liaison')
  @Idempotent()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCaseDto, @IdempotencyHook() hook?: CompleteInTx) {
    return this.cases.intake({ kind: 'user', user }, body, hook);
  }

  @Get()
  @Roles('coordinator', 'mediator', 'court_liaison', 'admin')
  list(@CurrentUser() user: AuthUser, @Query() q: ListCasesQuery) {
    return this.cases.list(user, q);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Query() q: GetCaseQuery) {
    return this.cases.get(user, id, q.reveal);
  }

  @Patch(':id')
  correct(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: CorrectCaseDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.cases.correct(user, id, body, parseIfMatch(ifMatch));
  }

  @Get(':id/events')
  events(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.cases.events(user, id);
  }

  @Post(':id/access-code')
  @HttpCode(200)
  resetAccessCode(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.cases.resetAccessCode(user, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  accept(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() _body: EmptyDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.cases.accept(user, id, parseIfMatch(ifMatch));
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: RejectDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.cases.reject(user, id, body.reason, body.respondentRefused ?? false, parseIfMatch(ifMatch));
  }

  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: AssignDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.cases.assign(user, id, body.mediatorId, parseIfMatch(ifMatch));
  }

  @Post(':id/failure')
  @HttpCode(200)
  fail(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: FailDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.cases.fail(user, id, body.reason, body.referTo, parseIfMatch(ifMatch));
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: WithdrawDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.cases.withdraw(user, id, body.reason, parseIfMatch(ifMatch));
  }
}
