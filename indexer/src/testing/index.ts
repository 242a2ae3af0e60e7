// Test helpers shared by the indexer, api, test and bench packages (`@ballast/indexer/testing`).
// Node-only; never imported by the indexer's runtime code.
export { adminQuery } from './adminQuery.js'
export {
  createTestDatabase,
  createTestDatabaseTarget,
  DIALECTS,
  type TestDatabase,
  type TestDatabaseTarget,
} from './createTestDatabase.js'
export { dumpFacts } from './dumpFacts.js'
export { freePort, startPostgres, type TestPostgres } from './startPostgres.js'
