import { runStoreConformance } from '../conformance/store-conformance.ts';
import { MemoryBackend } from './memory-backend.ts';

runStoreConformance('MemoryBackend', async () => ({ store: new MemoryBackend(), cleanup: async () => {} }));
