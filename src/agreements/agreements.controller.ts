import { Body, Controller, Get, Headers, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { parseIfMatch } from '../cases/cases.controller';
import { IdPipe } from '../common/params';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { RecordAgreementDto, RecordPaymentDto } from './agreements.dto';
import { AgreementsService } from './agreements.service';

@ApiTags('agreements')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'Case version; a stale one answers 409' })
@Controller('cases')
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post(':id/agreement')
  @Roles('coordinator', 'mediator')
  @Idempotent()
  record(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: RecordAgreementDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.agreements.recordAgreement(user, id, body, parseIfMatch(ifMatch));
  }

  @Get(':id/agreement')
  @Roles('coordinator', 'mediator', 'court_liaison')
  ledger(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.agreements.ledger(user, id);
  }

  @Get(':id/agreement.pdf')
  @Roles('coordinator', 'mediator', 'court_liaison')
  @ApiProduces('application/pdf')
  async document(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    const { pdf, filename } = await this.agreements.document(user, id);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${filename}"`,
      length: pdf.length,
    });
  }

  @Post(':id/payments')
  @Roles('coordinator', 'mediator')
  @Idempotent()
  pay(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: RecordPaymentDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.agreements.recordPayment(user, id, body, parseIfMatch(ifMatch));
  }
}
