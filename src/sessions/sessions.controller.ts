import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { parseIfMatch } from '../cases/cases.controller';
import { IdPipe } from '../common/params';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { ExtensionsService } from './extensions.service';
import {
  CancelSessionDto,
  ExtendDto,
  RecordSessionDto,
  RescheduleSessionDto,
  ScheduleSessionDto,
} from './sessions.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'Case version; a stale one answers 409' })
@Controller('cases')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post(':id/sessions')
  @Roles('coordinator', 'mediator')
  @Idempotent()
  schedule(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: ScheduleSessionDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.sessions.schedule(user, id, body, parseIfMatch(ifMatch));
  }

  @Get(':id/sessions')
  @Roles('coordinator', 'mediator', 'court_liaison')
  list(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.sessions.list(user, id);
  }

  @Get(':id/sessions/:sessionId')
  @Roles('coordinator', 'mediator', 'court_liaison')
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('sessionId', IdPipe) sessionId: string,
  ) {
    return this.sessions.get(user, id, sessionId);
  }

  @Patch(':id/sessions/:sessionId')
  @Roles('coordinator', 'mediator')
  reschedule(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('sessionId', IdPipe) sessionId: string,
    @Body() body: RescheduleSessionDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.sessions.reschedule(user, id, sessionId, body, parseIfMatch(ifMatch));
  }

  @Post(':id/sessions/:sessionId/cancel')
  @HttpCode(200)
  @Roles('coordinator', 'mediator')
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('sessionId', IdPipe) sessionId: string,
    @Body() body: CancelSessionDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.sessions.cancel(user, id, sessionId, body, parseIfMatch(ifMatch));
  }

  @Post(':id/sessions/:sessionId/record')
  @HttpCode(200)
  @Roles('coordinator', 'mediator')
  record(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('sessionId', IdPipe) sessionId: string,
    @Body() body: RecordSessionDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.sessions.record(user, id, sessionId, body, parseIfMatch(ifMatch));
  }
}

@ApiTags('sessions')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'Case version; a stale one answers 409' })
@Controller('cases')
export class ExtensionsController {
  constructor(private readonly extensions: ExtensionsService) {}

  @Post(':id/extensions')
  @Roles('coordinator')
  @Idempotent()
  extend(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: ExtendDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.extensions.extend(user, id, body, parseIfMatch(ifMatch));
  }

  @Get(':id/extensions')
  @Roles('coordinator', 'mediator', 'court_liaison')
  list(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.extensions.list(user, id);
  }
}
