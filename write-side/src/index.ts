export { registerWriteSide, type WriteSide, type WriteSideOptions } from './app';
export { ManualClock, systemClock, type Clock } from './clock';
export { openIdentityStore, type IdentityStore } from './identity/store';
export { createSandboxSources, type PublicDataSources } from './integrations';
export { DEMO_PASSWORD, demoAccounts } from './demo';
