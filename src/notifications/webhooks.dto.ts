import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsString,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { EVENT_TYPES } from './event-types';

/** An absolute http(s) URL without credentials (fetch refuses those, and they would show in the delivery log). */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

function IsHttpUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isHttpUrl(value),
      defaultMessage: () => 'must be an absolute http or https URL without a user name or password',
    },
  });
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://court.example/hooks/mediation' })
  @IsString()
  @MaxLength(2000)
  @IsHttpUrl()
  url!: string;

  /** Known event types only; each unknown one is named as `events.N` (checked by the service). */
  @ApiProperty({ type: [String], enum: EVENT_TYPES, example: ['referral.created'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  events!: string[];
}

export class UpdateWebhookDto {
  @ApiProperty({ description: 'false stops deliveries to this endpoint; true starts them again' })
  @IsBoolean()
  enabled!: boolean;
}
