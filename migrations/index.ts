import { Foundation1764000000000 } from './1764000000000-Foundation';
import { MediationWork1764000000001 } from './1764000000001-MediationWork';
import { Deadlines1764000000002 } from './1764000000002-Deadlines';
import { Notifications1764000000003 } from './1764000000003-Notifications';

/** Every migration, in order. Listed explicitly so that compiled and test runs load the same set. */
export const MIGRATIONS = [
  Foundation1764000000000,
  MediationWork1764000000001,
  Deadlines1764000000002,
  Notifications1764000000003,
];
