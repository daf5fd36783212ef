/** Injection tokens shared across modules. */
export const DATA_PROTECTOR = Symbol('DATA_PROTECTOR');
