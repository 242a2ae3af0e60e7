// `pnpm --filter @ballast/api run codegen` writes the sdk client's typed operations;
// `... run test:checks` (part of `npm test`) fails when the committed file is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readTypeDefs } from '../createApi.js'
import { generateClientSource } from './generateClientSource.js'

const clientDir = join(import.meta.dirname, '../../../sdk/src/client')
const operationsDir = join(clientDir, 'operations')
const target = join(clientDir, 'generated/operations.ts')

const files = readdirSync(operationsDir)
  .filter((f) => f.endsWith('.graphql'))
  .map((name) => ({ name, source: readFileSync(join(operationsDir, name), 'utf8') }))
const source = generateClientSource(readTypeDefs(), files)

if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(target, 'utf8')
  } catch {}
  if (current !== source) {
    console.error(
      'sdk/src/client/generated/operations.ts is stale (the schema or an operation changed).\n' +
        'Hint: run `pnpm --filter @ballast/api run codegen` and commit the result.',
    )
    process.exit(1)
  }
  console.log(`client types up to date (${files.length} documents)`)
} else {
  writeFileSync(target, source)
  console.log(`wrote ${target}`)
}
