export * from './enums.ts';
export * from './events.ts';
export * from './errors.ts';
export * from './schemas.ts';
export * from './placeholders.ts';
