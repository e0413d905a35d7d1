export * from './rules';
export * from './score';
