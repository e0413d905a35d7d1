import { createMemoryReadModelStore } from '../../src/store/memory';
import { describeReadModelStoreContract } from './contract';

describeReadModelStoreContract('memory', async () => createMemoryReadModelStore());
