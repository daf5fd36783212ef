import {
  Body,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Headers,
  HttpCode,
  Injectable,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators';
import { type CompleteInTx, Idempotent, IdempotencyHook } from '../idempotency/idempotency.interceptor';
import { negotiateLanguage } from '../i18n/messages';
import { PublicLimits } from './public-limits';
import { CaseStatusRequestDto, PublicApplicationDto } from './public.dto';
import { PublicService } from './public.service';

/** Applications per client, counted before the idempotency record so that a 429 is never stored as the answer. */
@Injectable()
export class ApplicationRateGuard implements CanActivate {
  constructor(private readonly limits: PublicLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.limits.application(context.switchToHttp().getRequest<FastifyRequest>().ip);
    return true;
  }
}

/** SPEC §10–§11: the workers' routes. No account: the client is its address (behind the trusted proxy). */
@ApiTags('public')
@Controller('public')
export class PublicController {
  constructor(private readonly service: PublicService) {}

  @Public()
  @Get('committees')
  committees() {
    return this.service.committees();
  }

  @Public()
  @Post('applications')
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @UseGuards(ApplicationRateGuard)
  @Idempotent({ required: true })
  apply(
    @Req() req: FastifyRequest,
    @Body() body: PublicApplicationDto,
    @IdempotencyHook() hook?: CompleteInTx,
  ) {
    return this.service.apply(req.ip, body, hook);
  }

  @Public()
  @Post('case-status')
  @HttpCode(200)
  @ApiHeader({ name: 'Accept-Language', required: false, description: 'zh (default) or en, with q-values' })
  status(
    @Req() req: FastifyRequest,
    @Body() body: CaseStatusRequestDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const lang = negotiateLanguage(acceptLanguage);
    void reply.header('content-language', lang).header('vary', 'Accept-Language');
    return this.service.status(body.caseNo, body.accessCode, req.ip, lang);
  }
}
