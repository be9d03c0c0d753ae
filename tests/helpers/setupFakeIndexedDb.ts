// Unit tests run db code on fake-indexeddb: a spec-following IndexedDB in memory.
import 'fake-indexeddb/auto';
