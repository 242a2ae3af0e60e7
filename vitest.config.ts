import { defineConfig } from 'vitest/config'

// One vitest project per package; `npm test` runs them all. The machine has 2 cores: at most two
// forks, and the chain-heavy projects keep their own files serial where they share a devnet.
export default defineConfig({
  test: {
    projects: ['sdk', 'contracts', 'indexer', 'api', 'devnet', 'subgraphs', 'test', 'bench', 'web'].map(
      (dir) => ({
        extends: true,
        test: {
          name: `@ballast/${dir}`,
          root: `./${dir}`,
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          // The indexer's database tests run on a throwaway PostgreSQL server started once per run.
          ...(dir === 'indexer' ? { globalSetup: ['./src/testing/postgresGlobalSetup.ts'] } : {}),
        },
      }),
    ),
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
