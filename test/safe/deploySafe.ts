import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type DevnetChainHandle, sendTx } from '@ballast/devnet'
import {
  type Abi,
  type Address,
  concatHex,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseEventLogs,
  zeroAddress,
} from 'viem'

// Safe{Wallet} 1.4.1 as its npm package ships it (compiled artifacts): the real multisig, its
// proxy factory, fallback handler and the libraries the Transaction Builder and simulations use.
const require = createRequire(import.meta.url)
export const safeArtifact = (path: string) =>
  JSON.parse(
    readFileSync(require.resolve(`@safe-global/safe-contracts/build/artifacts/contracts/${path}`), 'utf8'),
  ) as { abi: Abi; bytecode: Hex }
export const SafeArtifact = safeArtifact('Safe.sol/Safe.json')
const Factory = safeArtifact('proxies/SafeProxyFactory.sol/SafeProxyFactory.json')
const Handler = safeArtifact('handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json')
const MultiSendCallOnly = safeArtifact('libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json')
const SimulateTxAccessor = safeArtifact('accessors/SimulateTxAccessor.sol/SimulateTxAccessor.json')

async function deployRaw(chain: DevnetChainHandle, from: Address, artifact: { abi: Abi; bytecode: Hex }) {
  const r = await sendTx(chain, {
    from,
    data: encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode }),
  })
  return getAddress(r.contractAddress as Address)
}

/** The Safe contracts deployed on one chain. */
export type SafeDeployment = {
  singleton: Address
  factory: Address
  handler: Address
  multiSendCallOnly: Address
  simulateTxAccessor: Address
}

/** Deploys the Safe 1.4.1 singleton, proxy factory, fallback handler and libraries. */
export async function deploySafeContracts(chain: DevnetChainHandle, from: Address): Promise<SafeDeployment> {
  return {
    singleton: await deployRaw(chain, from, SafeArtifact),
    factory: await deployRaw(chain, from, Factory),
    handler: await deployRaw(chain, from, Handler),
    multiSendCallOnly: await deployRaw(chain, from, MultiSendCallOnly),
    simulateTxAccessor: await deployRaw(chain, from, SimulateTxAccessor),
  }
}

/** Creates a Safe proxy with the given owners and threshold; returns its address. */
export async function createSafe(
  chain: DevnetChainHandle,
  contracts: SafeDeployment,
  parameters: { from: Address; owners: readonly Address[]; threshold: bigint; saltNonce?: bigint },
): Promise<Address> {
  const setup = encodeFunctionData({
    abi: SafeArtifact.abi,
    functionName: 'setup',
    args: [
      parameters.owners,
      parameters.threshold,
      zeroAddress,
      '0x',
      contracts.handler,
      zeroAddress,
      0n,
      zeroAddress,
    ],
  })
  const created = await sendTx(chain, {
    from: parameters.from,
    to: contracts.factory,
    data: encodeFunctionData({
      abi: Factory.abi,
      functionName: 'createProxyWithNonce',
      args: [contracts.singleton, setup, parameters.saltNonce ?? 1n],
    }),
  })
  const [event] = parseEventLogs({
    abi: Factory.abi,
    logs: created.logs,
    eventName: 'ProxyCreation',
  }) as unknown as {
    args: { proxy: Address }
  }[]
  return getAddress(event!.args.proxy)
}

/**
 * Executes one Safe transaction the way its signers do: each owner signs the EIP-712 `SafeTx`
 * at the Safe's current nonce, signatures sorted by owner address, then anyone submits
 * `execTransaction`.
 */
export async function execSafeTransaction(
  chain: DevnetChainHandle,
  safe: Address,
  tx: { to: Address; value: bigint; data: Hex; operation: 0 | 1 },
  parameters: { owners: readonly Address[]; submitter: Address },
) {
  const nonce = (await chain.public.readContract({
    address: safe,
    abi: SafeArtifact.abi,
    functionName: 'nonce',
  })) as bigint
  const message = {
    ...tx,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: zeroAddress,
    refundReceiver: zeroAddress,
    nonce,
  }
  const owners = [...parameters.owners].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
  const signatures: Hex[] = []
  for (const owner of owners) {
    signatures.push(
      await chain.wallet.signTypedData({
        account: owner,
        domain: { chainId: chain.chainId, verifyingContract: safe },
        types: {
          SafeTx: [
            { name: 'to', type: 'address' },
            { name: 'value', type: 'uint256' },
            { name: 'data', type: 'bytes' },
            { name: 'operation', type: 'uint8' },
            { name: 'safeTxGas', type: 'uint256' },
            { name: 'baseGas', type: 'uint256' },
            { name: 'gasPrice', type: 'uint256' },
            { name: 'gasToken', type: 'address' },
            { name: 'refundReceiver', type: 'address' },
            { name: 'nonce', type: 'uint256' },
          ],
        },
        primaryType: 'SafeTx',
        message,
      }),
    )
  }
  return sendTx(chain, {
    from: parameters.submitter,
    to: safe,
    data: encodeFunctionData({
      abi: SafeArtifact.abi,
      functionName: 'execTransaction',
      args: [
        tx.to,
        tx.value,
        tx.data,
        tx.operation,
        0n,
        0n,
        0n,
        zeroAddress,
        zeroAddress,
        concatHex(signatures),
      ],
    }),
  })
}
