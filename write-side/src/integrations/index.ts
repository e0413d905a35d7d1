export * from './ports';
export * from './segment';
export * from './fixtures';
export * from './sandbox';
export * from './collector';
