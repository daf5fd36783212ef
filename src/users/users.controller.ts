import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { IdPipe } from '../common/params';
import { CreateConflictDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateUserDto) {
    return this.users.create(user, body);
  }

  @Get()
  @Roles('admin', 'coordinator')
  async list(@CurrentUser() user: AuthUser, @Query() q: ListUsersQuery) {
    return { items: await this.users.list(user, q), nextCursor: null };
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.users.get(user, user.id);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.get(user, id);
  }

  @Patch(':id')
  @Roles('admin')
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() body: UpdateUserDto) {
    return this.users.update(user, id, body);
  }

  @Post(':id/conflicts')
  @Roles('admin', 'coordinator', 'mediator')
  addConflict(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Body() body: CreateConflictDto,
  ) {
    return this.users.addConflict(user, id, body);
  }

  @Get(':id/conflicts')
  @Roles('admin', 'coordinator', 'mediator')
  listConflicts(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.listConflicts(user, id);
  }

  @Delete(':id/conflicts/:conflictId')
  @Roles('admin', 'coordinator', 'mediator')
  @HttpCode(204)
  removeConflict(
    @CurrentUser() user: AuthUser,
    @Param('id', IdPipe) id: string,
    @Param('conflictId', IdPipe) conflictId: string,
  ) {
    return this.users.removeConflict(user, id, conflictId);
  }
}
