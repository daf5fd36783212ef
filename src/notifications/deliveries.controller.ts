import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { IdPipe } from '../common/params';
import { DeliveriesService } from './deliveries.service';
import {
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  type DeliveryChannel,
  type DeliveryStatus,
} from './event-types';
import { PageQuery } from '../common/paging';

export class ListDeliveriesQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

/** SPEC §7, §11: the delivery log, newest first, and the hand retry of dead deliveries. */
@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: ListDeliveriesQueryDto) {
    return this.deliveries.list(user, q);
  }

  /** Admins, and the owning organisation's coordinators and liaisons; only a dead delivery (else 409). */
  @Post(':id/retry')
  @Roles('admin', 'coordinator', 'court_liaison')
  @HttpCode(200)
  retry(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.deliveries.retry(user, id);
  }
}
