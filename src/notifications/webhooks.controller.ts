import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { IdPipe } from '../common/params';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

/** SPEC §7, §11: an organisation's webhook endpoints. Admins: any organisation; liaisons: their own. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('organisations/:id/webhooks')
@Roles('admin', 'court_liaison')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Answers the secret (`whsec_…`) this once; it is never shown again. */
  @Post()
  @Idempotent()
  create(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(user, id, body);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.webhooks.list(user, id);
  }

  @Patch(':webhookId')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('webhookId', IdPipe) webhookId: string,
    @Body() body: UpdateWebhookDto,
  ) {
    return this.webhooks.update(user, id, webhookId, body);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  rotate(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('webhookId', IdPipe) webhookId: string,
  ) {
    return this.webhooks.rotateSecret(user, id, webhookId);
  }
}
