export * from './values';
export * from './envelope';
export * from './events';
export * from './streams';
export * from './parse';
export * from './catalogue';
export * from './offer-terms';
export * from './commands';
export * from './offer-cost';
export * from './calendar';
export * from './live';
export * from './views';
export type * from './store/port';
export {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  StreamNotFoundError,
} from './store/port';
