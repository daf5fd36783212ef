import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { Organisation } from './organisation.entity';
import { CreateOrganisationDto, UpdateOrganisationDto } from './organisations.dto';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(Organisation) private readonly repo: Repository<Organisation>,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, dto: CreateOrganisationDto): Promise<Organisation> {
    await this.checkPartners(dto);
    if (dto.kind !== 'committee' && dto.code !== undefined) {
      throw new ValidationFailedError([{ field: 'code', message: 'only committees have a code' }]);
    }
    return this.db.transaction(async (m) => {
      if (dto.code && (await m.exists(Organisation, { where: { code: dto.code } }))) {
        throw new ConflictError(
          'DUPLICATE_CODE',
          'Duplicate code',
          `The code ${dto.code} is already in use.`,
        );
      }
      const org = await m.save(
        m.create(Organisation, {
          kind: dto.kind,
          name: dto.name,
          code: dto.code ?? null,
          address: dto.address ?? null,
          phone: dto.phone ?? null,
          hours: dto.hours ?? null,
          partnerCourtIds: dto.partnerCourtIds ?? [],
          partnerArbitrationCommissionId: dto.partnerArbitrationCommissionId ?? null,
          partnerJusticeBureauId: dto.partnerJusticeBureauId ?? null,
          jurisdictionDivisionCodes: dto.jurisdictionDivisionCodes ?? [],
        }),
      );
      await this.audit.record(
        { userId: actor.id, action: 'organisation_created', entity: 'organisation', entityId: org.id },
        m,
      );
      return org;
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateOrganisationDto): Promise<Organisation> {
    await this.checkPartners(dto);
    return this.db.transaction(async (m) => {
      const org = await m.findOne(Organisation, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw new NotFoundError('Organisation');
      Object.assign(org, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      const saved = await m.save(org);
      await this.audit.record(
        {
          userId: actor.id,
          action: 'organisation_updated',
          entity: 'organisation',
          entityId: id,
          detail: { fields: Object.keys(dto) },
        },
        m,
      );
      return saved;
    });
  }

  list(kind?: string): Promise<Organisation[]> {
    return this.repo.find({
      where: kind ? { kind: kind as Organisation['kind'] } : {},
      order: { kind: 'ASC', name: 'ASC' },
    });
  }

  async get(id: string): Promise<Organisation> {
    const org = await this.repo.findOne({ where: { id } });
    if (!org) throw new NotFoundError('Organisation');
    return org;
  }

  /** Partners must exist and be of the right kind; a 400 names the field, nothing is written. */
  private async checkPartners(dto: UpdateOrganisationDto): Promise<void> {
    const wanted: Array<[string, string, Organisation['kind']]> = [];
    (dto.partnerCourtIds ?? []).forEach((id, i) => wanted.push([`partnerCourtIds.${i}`, id, 'court']));
    if (dto.partnerArbitrationCommissionId)
      wanted.push([
        'partnerArbitrationCommissionId',
        dto.partnerArbitrationCommissionId,
        'arbitration_commission',
      ]);
    if (dto.partnerJusticeBureauId)
      wanted.push(['partnerJusticeBureauId', dto.partnerJusticeBureauId, 'justice_bureau']);
    if (!wanted.length) return;
    const found = await this.repo.find({
      where: { id: In(wanted.map((w) => w[1])) },
      select: { id: true, kind: true },
    });
    const kinds = new Map(found.map((o) => [o.id, o.kind]));
    const errors = wanted
      .filter(([, id, kind]) => kinds.get(id) !== kind)
      .map(([field, , kind]) => ({
        field,
        message: `must be the id of an existing ${kind.replace(/_/g, ' ')}`,
      }));
    if (errors.length) throw new ValidationFailedError(errors);
  }
}
