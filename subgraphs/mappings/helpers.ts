// Shared by every mapping. Seeding rule: an eth_call in a handler sees the state at the END of the
// event's block, so a balance or supply read by a call already counts every Transfer of that block;
// `seededAtBlock` remembers the block and the Transfer handler skips it (no double counting).
import { Address, BigInt, Bytes, dataSource, ethereum } from '@graphprotocol/graph-ts'
import { AggregatorV3 } from '../generated/Registry/AggregatorV3'
import { ERC20 } from '../generated/Registry/ERC20'
import { ERC4626 } from '../generated/Registry/ERC4626'
import { Balance, Holder, PriceFeed, Registry, Timelock, Token, Vault } from '../generated/schema'
import {
  LiabilityToken as LiabilityTokenTemplate,
  Oft as OftTemplate,
  PriceFeed as PriceFeedTemplate,
  ReserveAttestation as ReserveAttestationTemplate,
  ReserveToken as ReserveTokenTemplate,
  RoleTimelock as RoleTimelockTemplate,
  Vault as VaultTemplate,
} from '../generated/templates'

export const KIND_RESERVE = 'reserve'
export const KIND_VAULT = 'vault'
export const KIND_LIABILITY = 'liability'

/** The registry entity of this chain (the Registry data source's address). */
export function loadRegistry(): Registry {
  const address = dataSource.address()
  let registry = Registry.load(address)
  if (registry == null) {
    registry = new Registry(address)
    registry.reserveTokens = []
    registry.activeHolders = []
    registry.save()
  }
  return registry
}

/** Reads symbol and decimals (left empty while the contract is not deployed yet; retried later). */
function readTokenMetadata(token: Token): void {
  const erc20 = ERC20.bind(Address.fromBytes(token.id))
  const symbol = erc20.try_symbol()
  token.symbol = symbol.reverted ? '' : symbol.value
  const decimals = erc20.try_decimals()
  token.decimals = decimals.reverted ? 0 : decimals.value
}

/**
 * Creates the Token entity of an ERC-20 with symbol, decimals and totalSupply read at `block`.
 * A configured contract may be deployed after the start block: its supply then reads as 0 (right:
 * every mint comes later) and its metadata is read again on its first Transfer.
 */
function newToken(address: Address, kind: string, block: ethereum.Block): Token {
  const erc20 = ERC20.bind(address)
  const token = new Token(address)
  token.kind = kind
  readTokenMetadata(token)
  const supply = erc20.try_totalSupply()
  token.totalSupply = supply.reverted ? BigInt.zero() : supply.value
  token.seededAtBlock = block.number
  token.updatedAtBlock = block.number
  token.save()
  return token
}

/** Reads a holder's balance at the end of `block` into its Balance entity. */
export function seedBalance(token: Bytes, holder: Bytes, block: ethereum.Block): void {
  const id = token.concat(holder)
  let balance = Balance.load(id)
  if (balance == null) {
    balance = new Balance(id)
    balance.token = token
    balance.holder = holder
  }
  const result = ERC20.bind(Address.fromBytes(token)).try_balanceOf(Address.fromBytes(holder))
  balance.amount = result.reverted ? BigInt.zero() : result.value
  balance.seededAtBlock = block.number
  balance.updatedAtBlock = block.number
  balance.save()
}

/** Reads a vault's totalAssets and totalSupply at the end of `block`. */
export function refreshVault(address: Address, block: ethereum.Block): void {
  const vault = Vault.load(address)
  if (vault == null) return
  const erc4626 = ERC4626.bind(address)
  const assets = erc4626.try_totalAssets()
  if (!assets.reverted) vault.totalAssets = assets.value
  const supply = erc4626.try_totalSupply()
  if (!supply.reverted) vault.totalSupply = supply.value
  if (vault.asset.equals(Address.zero())) {
    const asset = erc4626.try_asset()
    if (!asset.reverted) vault.asset = asset.value
  }
  vault.updatedAtBlock = block.number
  vault.save()
}

/**
 * Follows a reserve token from `block` on: a Token entity, its data source, and the balances of
 * every active holder. A vault (configured as one, or a token whose `asset()` answers) is an
 * ERC-4626 whose shares are the reserve, and also gets a Vault entity.
 */
export function trackReserveToken(address: Address, block: ethereum.Block, configuredVault: boolean): void {
  if (Token.load(address) != null) return
  const isVault = configuredVault || !ERC4626.bind(address).try_asset().reverted
  newToken(address, isVault ? KIND_VAULT : KIND_RESERVE, block)
  if (isVault) {
    const vault = new Vault(address)
    vault.share = address
    vault.asset = Address.zero()
    vault.totalAssets = BigInt.zero()
    vault.totalSupply = BigInt.zero()
    vault.updatedAtBlock = block.number
    vault.save()
    refreshVault(address, block)
    VaultTemplate.create(address)
  } else {
    ReserveTokenTemplate.create(address)
  }
  const registry = loadRegistry()
  const tokens = registry.reserveTokens
  tokens.push(address)
  registry.reserveTokens = tokens
  registry.save()
  const holders = registry.activeHolders
  for (let i = 0; i < holders.length; i++) seedBalance(address, holders[i], block)
}

/** Follows a member's liability token (an OFT: supply from mints/burns, sends and receives). */
export function trackLiabilityToken(address: Address, block: ethereum.Block): void {
  if (Token.load(address) != null) return
  newToken(address, KIND_LIABILITY, block)
  LiabilityTokenTemplate.create(address)
}

/** Follows an asset's OFT or OFTAdapter (bridge sends and receives only). */
export function trackOft(address: Address): void {
  OftTemplate.create(address)
}

/** Follows a role timelock of `registry`: its operations on the registry (no-op when followed). */
export function trackTimelock(address: Address, registry: Address): void {
  if (address.equals(Address.zero()) || Timelock.load(address) != null) return
  const timelock = new Timelock(address)
  timelock.registry = registry
  timelock.save()
  RoleTimelockTemplate.create(address)
}

/** Follows a ReserveAttestation contract's posted statements. */
export function trackAttestation(address: Address): void {
  ReserveAttestationTemplate.create(address)
}

/** Follows a price feed of `symbol`, seeded from latestRoundData at `block`. */
export function trackFeed(symbol: string, address: Address, block: ethereum.Block): void {
  if (PriceFeed.load(address) != null) return
  const aggregator = AggregatorV3.bind(address)
  const feed = new PriceFeed(address)
  feed.asset = symbol
  const decimals = aggregator.try_decimals()
  feed.decimals = decimals.reverted ? 0 : decimals.value
  const round = aggregator.try_latestRoundData()
  if (round.reverted) {
    feed.answer = BigInt.zero()
    feed.roundId = BigInt.zero()
    feed.updatedAt = BigInt.zero()
  } else {
    feed.answer = round.value.getAnswer()
    feed.roundId = round.value.getRoundId()
    feed.updatedAt = round.value.getUpdatedAt()
  }
  feed.updatedAtBlock = block.number
  feed.save()
  PriceFeedTemplate.create(address)
}

/** Adds `delta` to a tracked holder's balance; Transfers of the block the balance was read in are skipped. */
export function moveBalance(token: Bytes, holder: Address, delta: BigInt, event: ethereum.Event): void {
  const record = Holder.load(holder)
  if (record == null || !record.active) return
  const balance = Balance.load(token.concat(holder))
  if (balance == null || balance.seededAtBlock.equals(event.block.number)) return
  balance.amount = balance.amount.plus(delta)
  balance.updatedAtBlock = event.block.number
  balance.save()
}

/** ERC-20 Transfer of any followed token: supply from mints/burns, holders' balances, vault assets. */
export function applyTransfer(from: Address, to: Address, value: BigInt, event: ethereum.Event): void {
  const token = Token.load(event.address)
  if (token == null) return
  if (token.symbol.length == 0) {
    readTokenMetadata(token)
    token.save()
  }
  const zero = Address.zero()
  if ((from.equals(zero) || to.equals(zero)) && !token.seededAtBlock.equals(event.block.number)) {
    token.totalSupply = from.equals(zero) ? token.totalSupply.plus(value) : token.totalSupply.minus(value)
    token.updatedAtBlock = event.block.number
    token.save()
  }
  if (!from.equals(zero)) moveBalance(token.id, from, value.neg(), event)
  if (!to.equals(zero)) moveBalance(token.id, to, value, event)
  // The underlying of a vault moved in or out (a deposit, a withdrawal or a donation): re-read it.
  if (token.kind == KIND_RESERVE) {
    refreshVault(from, event.block)
    refreshVault(to, event.block)
  }
}
