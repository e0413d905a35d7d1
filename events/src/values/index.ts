export * from './errors';
export * from './decimal';
export * from './money';
export * from './rate';
export * from './identifiers';
