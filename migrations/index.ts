import { Foundation1764000000000 } from './1764000000000-Foundation';

/** Every migration, in order. Listed explicitly so that compiled and test runs load the same set. */
export const MIGRATIONS = [Foundation1764000000000];
