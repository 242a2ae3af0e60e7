import type { Address, Hex } from 'viem'

/**
 * The deterministic deployment proxy ("the usual CREATE2 factory", Arachnid's): at the same address
 * on every chain that accepts its keyless, pre-EIP-155 deployment transaction. A call to it with
 * `salt (32 bytes) ++ initCode` as data runs `CREATE2(0, initCode, salt)` and returns the 20-byte
 * address, so a contract's address is
 * `keccak256(0xff ++ proxy ++ salt ++ keccak256(initCode))[12:]`, the same on every chain.
 */
export const deterministicDeployer = {
  address: '0x4e59b44847b379578588920ca78fbf26c0b4956c' as Address,
  /** The one-time signer of the keyless transaction (its key is unknown: r = s = 0x22..22). */
  signer: '0x3fab184622dc19b6109349b94811493bf2a45362' as Address,
  /** Wei the signer needs: gas limit 100_000 at 100 gwei. */
  signerFunding: 100_000n * 100_000_000_000n,
  /** The keyless deployment transaction, as published with the proxy. */
  transaction:
    '0xf8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf31ba02222222222222222222222222222222222222222222222222222222222222222a02222222222222222222222222222222222222222222222222222222222222222' as Hex,
} as const

/**
 * The proxy's runtime code, as its init code leaves it (the init code is the 14 bytes
 * `604580600e600039806000f350fe`: copy 0x45 bytes from offset 0x0e and return them). For
 * `anvil_setCode` on a test chain.
 *
 * @returns The runtime bytecode.
 */
export function deterministicDeployerRuntimeCode(): Hex {
  const tx = deterministicDeployer.transaction
  const init = '604580600e600039806000f350fe'
  const start = tx.indexOf(init) + init.length
  return `0x${tx.slice(start, start + 0x45 * 2)}`
}
