import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { IdPipe } from '../common/params';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { CreateOrganisationDto, ListOrganisationsQuery, UpdateOrganisationDto } from './organisations.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Roles('admin')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateOrganisationDto) {
    return this.organisations.create(user, body);
  }

  /** Names, addresses and hours of public bodies: every signed-in user may read them. */
  @Get()
  async list(@Query() q: ListOrganisationsQuery) {
    return { items: await this.organisations.list(q.kind), nextCursor: null };
  }

  @Get(':id')
  get(@Param('id', IdPipe) id: string) {
    return this.organisations.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: UpdateOrganisationDto,
  ) {
    return this.organisations.update(user, id, body);
  }
}
