import { createCipheriv, randomBytes, scryptSync } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { contractArtifact } from '@ballast/contracts'
import { type RunningChains, startChains } from '@ballast/devnet'
import { concat, type Hex, keccak256, toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createProgram } from './createProgram.js'
import type { DeploymentFile } from './deployCommand.js'

// anvil's dev accounts come from this public test mnemonic; account 0 deploys.
const dev = mnemonicToAccount('test test test test test test test test test test test junk')
const key = toHex(dev.getHdKey().privateKey as Uint8Array)
const dir = mkdtempSync(join(tmpdir(), 'ballast-deploy-'))
let running: RunningChains

/** A v3 keystore of `privateKey` (scrypt, as geth and cast write them; a small N keeps the test fast). */
function keystore(privateKey: Hex, password: string): string {
  const salt = randomBytes(32)
  const iv = randomBytes(16)
  const derived = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 })
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv)
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(privateKey.slice(2), 'hex')), cipher.final()])
  const mac = keccak256(concat([toHex(derived.subarray(16, 32)), toHex(ciphertext)])).slice(2)
  const file = join(dir, 'deployer.keystore.json')
  writeFileSync(
    file,
    JSON.stringify({
      version: 3,
      crypto: {
        cipher: 'aes-128-ctr',
        ciphertext: ciphertext.toString('hex'),
        cipherparams: { iv: iv.toString('hex') },
        kdf: 'scrypt',
        kdfparams: { dklen: 32, salt: salt.toString('hex'), n: 1024, r: 8, p: 1 },
        mac,
      },
    }),
  )
  return file
}

async function ballast(args: string[], env: Record<string, string | undefined>) {
  const io = { stdout: '', stderr: '' }
  const saved = { ...process.env }
  Object.assign(process.env, env)
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]
  try {
    const program = createProgram({ out: (s) => (io.stdout += `${s}\n`), err: (s) => (io.stderr += s) })
    await program.exitOverride().parseAsync(['node', 'ballast', ...args])
  } finally {
    process.env = saved
  }
  return io
}

beforeAll(async () => {
  running = await startChains({ count: 2 })
})
afterAll(() => running?.stop())
afterEach(() => {
  process.exitCode = undefined
})

describe('ballast deploy', () => {
  it('refuses without an account, naming the variables, and never prints the key', async () => {
    const [alpha] = running.chains
    const io = await ballast(['deploy', 'registry', '--chain', 'alpha', '--rpc', alpha!.rpcUrl], {
      BALLAST_DEPLOYER_KEY: undefined,
    })
    expect(io.stderr).toMatch(/^error: No deploying account\.[\s\S]*BALLAST_DEPLOYER_KEY/)
    expect(process.exitCode).toBe(1)
    const bad = await ballast(['deploy', 'registry', '--chain', 'alpha', '--rpc', alpha!.rpcUrl], {
      BALLAST_DEPLOYER_KEY: `${key.slice(0, 40)}zz`,
    })
    expect(bad.stderr).toContain('BALLAST_DEPLOYER_KEY is not a private key.')
    expect(bad.stderr).not.toContain(key.slice(2, 40))
  })

  it('deploys the registry and the attestation at the same addresses on two fresh chains', async () => {
    const files: DeploymentFile[] = []
    const ks = keystore(key, 'correct horse')
    for (const chain of running.chains) {
      const out = join(dir, `${chain.name}.json`)
      const common = ['--chain', chain.name, '--rpc', chain.rpcUrl, '--out', out]
      const dry = await ballast(['deploy', 'registry', ...common, '--dry-run', '--min-delay', '3600'], {
        BALLAST_DEPLOYER_KEY: key,
      })
      expect(dry.stdout).toMatch(/^planned {2}poolAdminTimelock/)
      expect(dry.stdout).toContain('dry run: nothing sent, nothing written')
      const registry = await ballast(['deploy', 'registry', ...common, '--min-delay', '3600'], {
        BALLAST_DEPLOYER_KEY: key,
      })
      expect(registry.stderr).toBe('')
      expect(registry.stdout.match(/^deployed /gm)).toHaveLength(4)
      // The attestation from a keystore (the same account).
      const wrong = await ballast(['deploy', 'attestation', ...common, '--keystore', ks], {
        BALLAST_KEYSTORE_PASSWORD: 'wrong',
      })
      expect(wrong.stderr).toMatch(/^error: Wrong keystore password\./)
      const attestation = await ballast(['deploy', 'attestation', ...common, '--keystore', ks], {
        BALLAST_KEYSTORE_PASSWORD: 'correct horse',
      })
      expect(attestation.stdout).toMatch(/^deployed attestation/)
      const again = await ballast(['deploy', 'registry', ...common, '--min-delay', '3600'], {
        BALLAST_DEPLOYER_KEY: key,
      })
      expect(again.stdout.match(/^present /gm)).toHaveLength(4)
      const file = JSON.parse(readFileSync(out, 'utf8')) as DeploymentFile
      expect(file.chainId).toBe(chain.chainId)
      for (const address of Object.values(file.contracts))
        expect(await chain.public.getCode({ address })).not.toBeUndefined()
      const minDelay = await chain.public.readContract({
        address: file.contracts.registry as Hex,
        abi: contractArtifact('ReservePoolRegistry').abi,
        functionName: 'minDelay',
      })
      expect(minDelay).toBe(3_600n)
      files.push(file)
    }
    expect(Object.keys(files[0]!.contracts).sort()).toEqual([
      'attestation',
      'membershipTimelock',
      'poolAdminTimelock',
      'registry',
      'riskTimelock',
    ])
    expect(files[1]!.contracts).toEqual(files[0]!.contracts)
    expect(files[1]!.chainId).not.toBe(files[0]!.chainId)
  })
})
