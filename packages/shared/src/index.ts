export * from './enums.ts';
export * from './events.ts';
export * from './errors.ts';
export * from './schemas.ts';
export * from './placeholders.ts';
export * from './agent-app.ts';
export * from './knowledge.ts';
export * from './email.ts';
