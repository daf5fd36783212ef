import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/auth.service';
import { UserCache } from '../auth/user-cache';
import type { AuthUser } from '../auth/auth-user';
import type { OrganisationKind, Role } from '../common/domain';
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../common/errors';
import { Organisation } from '../organisations/organisation.entity';
import { MediatorConflict, User } from './user.entity';
import { CreateConflictDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './users.dto';

/** Which kind of organisation each role belongs to. */
const ROLE_ORGANISATION: Record<Role, OrganisationKind[] | null> = {
  admin: null,
  coordinator: ['committee'],
  mediator: ['committee'],
  court_liaison: ['court'],
  agency_observer: ['court', 'arbitration_commission', 'justice_bureau'],
};

const USER_COLUMNS = `id, username, display_name AS "displayName", role, organisation_id AS "organisationId",
  court_rostered AS "courtRostered", active, email, phone, created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly userCache: UserCache,
  ) {}

  async create(actor: AuthUser, dto: CreateUserDto) {
    await this.checkOrganisation(this.db.manager, dto.role, dto.organisationId ?? null);
    if (dto.courtRostered && dto.role !== 'mediator') {
      throw new ValidationFailedError([
        { field: 'courtRostered', message: 'only mediators can be court-rostered' },
      ]);
    }
    const hash = await hashPassword(dto.password);
    return this.db.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO users (username, password_hash, display_name, role, organisation_id, court_rostered, email, phone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
        [
          dto.username,
          hash,
          dto.displayName,
          dto.role,
          dto.organisationId ?? null,
          dto.courtRostered ?? false,
          dto.email ?? null,
          dto.phone ?? null,
        ],
      );
      if (!rows.length)
        throw new ConflictError(
          'DUPLICATE_USERNAME',
          'Duplicate username',
          `The username ${dto.username} is taken.`,
        );
      const user = rows[0] as { id: string };
      await this.audit.record(
        {
          userId: actor.id,
          action: 'user_created',
          entity: 'user',
          entityId: user.id,
          detail: { role: dto.role },
        },
        m,
      );
      return user;
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserDto) {
    const updated = await this.updateInTransaction(actor, id, dto);
    // Every API process drops its copy of the user, so a deactivation takes effect at once.
    await this.userCache.changed(id);
    return updated;
  }

  private updateInTransaction(actor: AuthUser, id: string, dto: UpdateUserDto) {
    return this.db.transaction(async (m) => {
      const current = await m.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw new NotFoundError('User');
      const role = dto.role ?? current.role;
      if (dto.role && dto.role !== current.role)
        await this.checkOrganisation(m, role, current.organisationId);
      const rostered = dto.courtRostered ?? (role === 'mediator' ? current.courtRostered : false);
      if (rostered && role !== 'mediator') {
        throw new ValidationFailedError([
          { field: 'courtRostered', message: 'only mediators can be court-rostered' },
        ]);
      }
      // Deactivating or changing the role ends the user's current sessions at once.
      const endSessions =
        (dto.active === false && current.active) || (dto.role !== undefined && dto.role !== current.role);
      const rows: unknown[] = await m.query(
        `UPDATE users SET display_name = $2, role = $3, court_rostered = $4, active = $5, email = $6, phone = $7,
                token_version = token_version + $8, updated_at = now()
          WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [
          id,
          dto.displayName ?? current.displayName,
          role,
          rostered,
          dto.active ?? current.active,
          dto.email ?? current.email,
          dto.phone ?? current.phone,
          endSessions ? 1 : 0,
        ],
      );
      await this.audit.record(
        {
          userId: actor.id,
          action: 'user_updated',
          entity: 'user',
          entityId: id,
          detail: { fields: Object.keys(dto) },
        },
        m,
      );
      return (rows[0] as unknown[])[0] ?? rows[0];
    });
  }

  /** Admins see everyone; committee staff see their own committee's people (to assign mediators). */
  list(actor: AuthUser, q: ListUsersQuery): Promise<unknown[]> {
    const orgId = actor.role === 'admin' ? (q.organisationId ?? null) : actor.organisationId;
    return this.db.query(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE ($1::uuid IS NULL OR organisation_id = $1) AND ($2::user_role IS NULL OR role = $2)
        ORDER BY display_name, id LIMIT 1000`,
      [orgId, q.role ?? null],
    );
  }

  async get(actor: AuthUser, id: string) {
    const rows: Array<{ organisationId: string | null }> = await this.db.query(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
      [id],
    );
    const user = rows[0];
    if (
      !user ||
      (actor.role !== 'admin' && actor.id !== id && user.organisationId !== actor.organisationId)
    ) {
      throw new NotFoundError('User');
    }
    return user;
  }

  async addConflict(actor: AuthUser, userId: string, dto: CreateConflictDto) {
    await this.checkConflictAccess(actor, userId);
    return this.db.transaction(async (m) => {
      const rows: MediatorConflict[] = await m.query(
        `INSERT INTO mediator_conflicts (user_id, credit_code, note, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, credit_code) DO UPDATE SET note = EXCLUDED.note
         RETURNING id, user_id AS "userId", credit_code AS "creditCode", note, created_at AS "createdAt"`,
        [userId, dto.creditCode, dto.note ?? null, actor.id],
      );
      await this.audit.record(
        {
          userId: actor.id,
          action: 'conflict_declared',
          entity: 'user',
          entityId: userId,
          detail: { creditCode: dto.creditCode },
        },
        m,
      );
      return rows[0];
    });
  }

  async listConflicts(actor: AuthUser, userId: string) {
    await this.checkConflictAccess(actor, userId);
    const items = await this.db.query(
      `SELECT id, user_id AS "userId", credit_code AS "creditCode", note, created_at AS "createdAt"
         FROM mediator_conflicts WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
    return { items, nextCursor: null };
  }

  async removeConflict(actor: AuthUser, userId: string, conflictId: string): Promise<void> {
    await this.checkConflictAccess(actor, userId);
    await this.db.transaction(async (m) => {
      const res: [unknown[], number] = await m.query(
        `DELETE FROM mediator_conflicts WHERE id = $1 AND user_id = $2`,
        [conflictId, userId],
      );
      if (!res[1]) throw new NotFoundError('Conflict');
      await this.audit.record(
        {
          userId: actor.id,
          action: 'conflict_removed',
          entity: 'user',
          entityId: userId,
          detail: { conflictId },
        },
        m,
      );
    });
  }

  /** A mediator declares their own conflicts; their committee's coordinators and admins may too. */
  private async checkConflictAccess(actor: AuthUser, userId: string): Promise<void> {
    const rows: Array<{ role: Role; organisationId: string | null }> = await this.db.query(
      `SELECT role, organisation_id AS "organisationId" FROM users WHERE id = $1`,
      [userId],
    );
    const target = rows[0];
    const sameOrg = target && target.organisationId === actor.organisationId;
    if (!target || (actor.role !== 'admin' && !sameOrg)) throw new NotFoundError('User');
    if (target.role !== 'mediator')
      throw new ValidationFailedError([{ field: 'userId', message: 'conflicts are declared for mediators' }]);
    if (actor.role === 'admin' || actor.id === userId || (actor.role === 'coordinator' && sameOrg)) return;
    throw new ForbiddenError();
  }

  private async checkOrganisation(
    m: EntityManager,
    role: Role,
    organisationId: string | null,
  ): Promise<void> {
    const kinds = ROLE_ORGANISATION[role];
    if (kinds === null) {
      if (organisationId)
        throw new ValidationFailedError([
          { field: 'organisationId', message: 'admins belong to no organisation' },
        ]);
      return;
    }
    if (!organisationId)
      throw new ValidationFailedError([
        { field: 'organisationId', message: `is required for the role ${role}` },
      ]);
    const org = await m.findOne(Organisation, {
      where: { id: organisationId },
      select: { id: true, kind: true },
    });
    if (!org || !kinds.includes(org.kind)) {
      throw new ValidationFailedError([
        { field: 'organisationId', message: `must be the id of an existing ${kinds.join(' or ')}` },
      ]);
    }
  }
}
