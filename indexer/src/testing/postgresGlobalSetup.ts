import type { TestProject } from 'vitest/node'
import { startPostgres } from './startPostgres.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throwaway PostgreSQL server of this test run (see `createTestDatabase`). */
    ballastPostgresUrl: string
  }
}

/**
 * vitest globalSetup: one PostgreSQL server for the whole run, stopped at the end (vitest calls
 * the returned teardown also when tests fail). Each test creates its own database on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres()
  project.provide('ballastPostgresUrl', server.url)
  return server.stop
}
