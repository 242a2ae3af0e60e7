// `pnpm networks [devnet.json]`: regenerates networks.json and contexts.json from a devnet manifest
// (default: the repo's .ballast/devnet.json), keeping every non-devnet network already listed.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DevnetManifest } from '@ballast/devnet'
import { subgraphDir } from '../build/prepareSubgraph.js'
import { networksFromDevnet } from '../networks/networksFromDevnet.js'
import { type ContextsJson, contextsJson, type NetworksJson, networksJson } from '../networks/networksJson.js'

const manifestFile = process.argv[2] ?? join(subgraphDir, '..', '.ballast', 'devnet.json')
const manifest: DevnetManifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
const devnet = networksFromDevnet(manifest)
const keep = (name: string) => !name.startsWith('ballast-devnet-')

const networksFile = join(subgraphDir, 'networks.json')
const contextsFile = join(subgraphDir, 'contexts.json')
const networks: NetworksJson = JSON.parse(readFileSync(networksFile, 'utf8'))
const contexts: ContextsJson = JSON.parse(readFileSync(contextsFile, 'utf8'))
const nextNetworks = {
  ...Object.fromEntries(Object.entries(networks).filter(([n]) => keep(n))),
  ...networksJson(devnet),
}
const nextContexts = {
  ...Object.fromEntries(Object.entries(contexts).filter(([n]) => keep(n))),
  ...contextsJson(devnet),
}
writeFileSync(networksFile, `${JSON.stringify(nextNetworks, null, 2)}\n`)
writeFileSync(contextsFile, `${JSON.stringify(nextContexts, null, 2)}\n`)
console.log(`networks: ${Object.keys(nextNetworks).join(', ')}`)
