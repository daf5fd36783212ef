import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { parseIfMatch } from '../cases/cases.controller';
import { EmptyDto } from '../cases/cases.dto';
import { IdPipe } from '../common/params';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { CreateReferralDto, DecisionDto, ListReferralsQuery, OutcomeDto } from './referrals.dto';
import { ReferralsService } from './referrals.service';

/** SPEC §9, §11: a case's payment-order eligibility and its referral to a court. */
@ApiTags('referrals')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'Case version; a stale one answers 409' })
@Controller('cases')
export class CaseReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get(':id/payment-order-eligibility')
  @Roles('coordinator', 'mediator', 'court_liaison')
  eligibility(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.referrals.eligibility(user, id);
  }

  @Post(':id/referrals')
  @Roles('coordinator', 'mediator')
  @Idempotent()
  create(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: CreateReferralDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.referrals.create(user, id, body, parseIfMatch(ifMatch));
  }
}

/** SPEC §9, §11: the court liaison's desk — the referrals addressed to its court and the court's steps. */
@ApiTags('referrals')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'Case version; a stale one answers 409' })
@Controller('referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get()
  @Roles('court_liaison', 'coordinator', 'mediator')
  list(@CurrentUser() user: AuthUser, @Query() q: ListReferralsQuery) {
    return this.referrals.list(user, q);
  }

  @Get(':id')
  @Roles('court_liaison', 'coordinator', 'mediator')
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.referrals.get(user, id);
  }

  @Get(':id/packet.pdf')
  @Roles('court_liaison', 'coordinator', 'mediator')
  @ApiProduces('application/pdf')
  async packet(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    const { pdf, filename } = await this.referrals.document(user, id);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${filename}"`,
      length: pdf.length,
    });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('court_liaison')
  acknowledge(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() _body: EmptyDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.referrals.acknowledge(user, id, parseIfMatch(ifMatch));
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('court_liaison')
  decide(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: DecisionDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.referrals.decide(user, id, body, parseIfMatch(ifMatch));
  }

  @Post(':id/outcome')
  @HttpCode(200)
  @Roles('court_liaison')
  outcome(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: OutcomeDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.referrals.outcome(user, id, body, parseIfMatch(ifMatch));
  }
}
