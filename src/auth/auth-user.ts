import type { Role } from '../common/domain';

/** The caller as the guard loaded it for this request: always the current row, never the token's copy. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisationId: string | null;
  courtRostered: boolean;
}
