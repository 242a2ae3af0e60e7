import { createDecipheriv, pbkdf2Sync, scryptSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { concat, type Hex, keccak256, toHex } from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { ApiError } from '../errors/ApiError.js'

/** Environment variables the deploying account may come from (never a config file). */
export const DEPLOYER_KEY_ENV = 'BALLAST_DEPLOYER_KEY'
export const KEYSTORE_PASSWORD_ENV = 'BALLAST_KEYSTORE_PASSWORD'

type KeystoreV3 = {
  version: number
  crypto: {
    cipher: string
    ciphertext: string
    cipherparams: { iv: string }
    kdf: 'scrypt' | 'pbkdf2'
    kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string }
    mac: string
  }
}

const bad = (file: string, why: string) =>
  new ApiError('Cannot use the keystore file.', {
    details: `${file}: ${why}`,
    metaMessages: ['Use a Web3 Secret Storage v3 keystore (as geth, cast or MetaMask export).'],
  })

/**
 * Decrypts a Web3 Secret Storage v3 keystore: the key is derived with scrypt or PBKDF2-SHA256,
 * checked with `mac = keccak256(derivedKey[16..32] ++ ciphertext)`, and the private key is
 * `AES-128-CTR(derivedKey[0..16], iv)` of the ciphertext (the Ethereum wiki's "Web3 Secret
 * Storage Definition").
 *
 * @param file The keystore path.
 * @param password Its password.
 * @returns The account.
 * @throws ApiError on a wrong password or an unsupported file (the password never appears).
 */
export async function decryptKeystore(file: string, password: string): Promise<PrivateKeyAccount> {
  let ks: KeystoreV3
  try {
    ks = JSON.parse(await readFile(file, 'utf8')) as KeystoreV3
  } catch (cause) {
    throw bad(file, cause instanceof Error ? cause.message : String(cause))
  }
  const c = ks.crypto ?? (ks as unknown as { Crypto: KeystoreV3['crypto'] }).Crypto
  if (ks.version !== 3 || c?.cipher !== 'aes-128-ctr') throw bad(file, 'not a version 3 aes-128-ctr keystore')
  const k = c.kdfparams
  const salt = Buffer.from(k.salt, 'hex')
  let derived: Buffer
  if (c.kdf === 'scrypt' && k.n && k.r && k.p) {
    derived = scryptSync(password, salt, k.dklen, { N: k.n, r: k.r, p: k.p, maxmem: 256 * k.n * k.r })
  } else if (c.kdf === 'pbkdf2' && k.c && k.prf === 'hmac-sha256') {
    derived = pbkdf2Sync(password, salt, k.c, k.dklen, 'sha256')
  } else {
    throw bad(file, `unsupported key derivation ${c.kdf}`)
  }
  const ciphertext = Buffer.from(c.ciphertext, 'hex')
  const mac = keccak256(concat([toHex(derived.subarray(16, 32)), toHex(ciphertext)]))
  if (mac.slice(2) !== c.mac.toLowerCase()) {
    throw new ApiError('Wrong keystore password.', {
      details: `${file}: the password does not open this keystore.`,
      metaMessages: [`Set ${KEYSTORE_PASSWORD_ENV} to the keystore's password.`],
    })
  }
  const decipher = createDecipheriv(
    'aes-128-ctr',
    derived.subarray(0, 16),
    Buffer.from(c.cipherparams.iv, 'hex'),
  )
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  return privateKeyToAccount(toHex(key) as Hex)
}

/**
 * The deploying account: a keystore file (password from `BALLAST_KEYSTORE_PASSWORD`) or a private
 * key in `BALLAST_DEPLOYER_KEY`. Never from a config file, never printed.
 *
 * @param options `keystore` path, and the environment.
 * @returns The account.
 * @throws ApiError naming the variable to set.
 */
export async function deployerAccount(options: {
  keystore?: string | undefined
  env: NodeJS.ProcessEnv
  /** The variable holding the private key (default `BALLAST_DEPLOYER_KEY`; the keeper's is its own). */
  keyEnv?: string | undefined
  /** What the account is for, in messages (default "deploying"). */
  role?: string | undefined
}): Promise<PrivateKeyAccount> {
  const keyEnv = options.keyEnv ?? DEPLOYER_KEY_ENV
  const role = options.role ?? 'deploying'
  if (options.keystore !== undefined) {
    const password = options.env[KEYSTORE_PASSWORD_ENV]
    if (password === undefined) {
      throw new ApiError('No keystore password.', {
        details: `--keystore ${resolve(options.keystore)} needs its password.`,
        metaMessages: [`Set ${KEYSTORE_PASSWORD_ENV} in the environment.`],
      })
    }
    return decryptKeystore(resolve(options.keystore), password)
  }
  const key = options.env[keyEnv]
  if (key === undefined || key === '') {
    throw new ApiError(`No ${role} account.`, {
      details: `Neither --keystore nor ${keyEnv} is given.`,
      metaMessages: [`Set ${keyEnv} to a 0x-prefixed private key, or pass --keystore <file>.`],
    })
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) {
    throw new ApiError(`${keyEnv} is not a private key.`, {
      details: 'It must be 32 bytes as 0x-prefixed hex (its value is not shown).',
    })
  }
  return privateKeyToAccount(key as Hex)
}
