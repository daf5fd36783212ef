import { Body, Controller, Get, Injectable, Param, PipeTransform, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ValidationFailedError } from '../common/errors';
import { IsLocalDate, isLocalDate } from '../common/validation/decorators';
import { CalendarEditor } from './calendar-editor';
import { CalendarService } from './calendar.service';

export class CalendarRangeQuery {
  @ApiProperty({ example: '2025-10-01' }) @IsLocalDate() from!: string;
  @ApiProperty({ example: '2025-10-31', description: 'Inclusive; at most 366 days after from' })
  @IsLocalDate()
  to!: string;
}

export class SetCalendarDayDto {
  @ApiProperty() @IsBoolean() working!: boolean;
  @ApiPropertyOptional({ example: '元旦', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  note?: string | null;
}

/** A path date that is not a real YYYY-MM-DD date: 400 naming `date`. */
@Injectable()
export class LocalDatePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isLocalDate(value)) {
      throw new ValidationFailedError([{ field: 'date', message: 'must be a date in YYYY-MM-DD form' }]);
    }
    return value;
  }
}

/** SPEC §6, §11: the working-day calendar; anyone signed in reads it, admins edit it. */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar/days')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly editor: CalendarEditor,
  ) {}

  @Get()
  days(@Query() q: CalendarRangeQuery) {
    return this.calendar.days(q.from, q.to);
  }

  @Put(':date')
  @Roles('admin')
  setDay(
    @CurrentUser() user: AuthUser,
    @Param('date', LocalDatePipe) date: string,
    @Body() body: SetCalendarDayDto,
  ) {
    return this.editor.setDay(user, date, body.working, body.note ?? null);
  }
}
