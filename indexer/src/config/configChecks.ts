import { parseDecimal } from '@ballast/sdk'
import { type Address, isAddress, isHex } from 'viem'
import { ConfigError } from '../errors/ConfigError.js'

// The field checks every part of the config uses: each throws a ConfigError naming the field.

/** A non-negative USD decimal string, as 18-decimal units. */
export function checkUsd(value: unknown, field: string): bigint {
  let usd: bigint | undefined
  try {
    usd = typeof value === 'string' ? parseDecimal(value, 18) : undefined
  } catch {
    usd = undefined
  }
  if (usd === undefined || usd < 0n) {
    throw new ConfigError(field, 'must be a non-negative USD decimal string', {
      value,
      hint: 'E.g. "5000" or "2500.5" (at most 18 decimals).',
    })
  }
  return usd
}

export function checkInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `must be an integer from ${min} to ${max}`, { value })
  }
  return value
}

export function checkAddress(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new ConfigError(field, 'must be a 20-byte hex address (0x followed by 40 hex digits)', {
      value,
    })
  }
  return value.toLowerCase() as Address
}

export function checkBytes32(value: unknown, field: string): void {
  if (typeof value !== 'string' || !isHex(value) || value.length !== 66) {
    throw new ConfigError(field, 'must be a bytes32 hex string (0x followed by 64 hex digits)', {
      value,
    })
  }
}
