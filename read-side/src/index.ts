export { registerReadSide, type ChangeListener, type ReadSide, type ReadSideOptions } from './app';
export {
  applicationsByStatusIndex,
  APPLICATIONS_INDEX,
  COLLECTIONS,
  helperId,
  isHelperId,
  projections,
  type Membership,
} from './projections';
export { boardView, type Audience, type BoardView } from './queries/access';
export { MAX_SCANNED_EVENTS, scanEventLog, type EventLogScan } from './queries/event-log';
export {
  createRoomViews,
  type RoomEvent,
  type RoomSnapshot,
  type RoomUpdate,
  type RoomViews,
} from './queries/views';
export {
  consoleLogger,
  rebuild,
  startProjectionRunner,
  type DocChange,
  type Logger,
  type RunnerStatus,
} from './runner';
export { createMemoryReadModelStore } from './store/memory';
export { openRedisReadModelStore } from './store/redis';
export type { ReadModelStore } from './store/port';
export { startLivePush } from './live/wire';
