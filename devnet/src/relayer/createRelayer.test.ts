import { oftAbi } from '@ballast/sdk/abi'
import { type Address, erc20Abi, parseEventLogs, zeroHash } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningChains, startChains } from '../chains/startChains.js'
import { sendOft } from '../contracts/sendOft.js'
import { read, write } from '../contracts/sendTx.js'
import { type DevnetDeployment, deployDevnet } from '../deploy/deployDevnet.js'
import { createRelayer, type Relayer } from './createRelayer.js'
import { decodePacket } from './decodePacket.js'

let running: RunningChains
let d: DevnetDeployment
let relayer: Relayer
let holder: Address

const usdc = () => d.assets.find((a) => a.symbol === 'USDC')!
const relayerChains = () =>
  running.chains.map((handle, i) => ({
    handle,
    endpoint: d.chains[i]!.endpoint,
    receiveLib: d.chains[i]!.receiveLib,
  }))
const balance = (i: number, token: Address, who: Address) =>
  read<bigint>(running.chains[i]!, token, erc20Abi, 'balanceOf', [who])
const supply = (i: number, token: Address) => read<bigint>(running.chains[i]!, token, erc20Abi, 'totalSupply')

beforeAll(async () => {
  running = await startChains({ count: 3 })
  d = await deployDevnet(running.chains)
  holder = d.accounts[5]!
  relayer = createRelayer({ chains: relayerChains(), account: d.relayer, confirmations: 2 })
  const alpha = running.chains[0]!
  await write(alpha, d.deployer, usdc().tokens[alpha.chainId]!.token, 'DevnetToken', 'mint', [
    holder,
    10_000_000_000n,
  ])
})
afterAll(() => running?.stop())

describe('relayer', () => {
  it('delivers a USDC transfer from alpha to beta after the confirmations, exactly and once', async () => {
    const [alpha, beta, gamma] = running.chains as [
      (typeof running.chains)[0],
      (typeof running.chains)[0],
      (typeof running.chains)[0],
    ]
    const home = usdc().tokens[alpha.chainId]!
    const remote = usdc().tokens[beta.chainId]!
    const amount = 1_234_567_890n
    const sent = await sendOft({
      chain: alpha,
      oft: home.oft,
      from: holder,
      dstEid: beta.eid,
      to: holder,
      amount,
    })
    const [oftSent] = parseEventLogs({ abi: oftAbi, logs: sent.logs, eventName: 'OFTSent' })

    await relayer.poll()
    expect(relayer.pending().map((p) => p.guid)).toEqual([oftSent!.args.guid])
    expect(relayer.delivered).toEqual([])
    expect(await balance(1, remote.token, holder)).toBe(0n)

    await alpha.test.mine({ blocks: 2 })
    await relayer.poll()
    expect(relayer.pending()).toEqual([])
    const delivery = relayer.delivered[0]!
    const receipt = await beta.public.getTransactionReceipt({ hash: delivery.dstTxHash! })
    const [received] = parseEventLogs({ abi: oftAbi, logs: receipt.logs, eventName: 'OFTReceived' })
    expect(received!.args).toEqual({
      guid: oftSent!.args.guid,
      srcEid: alpha.eid,
      toAddress: holder,
      amountReceivedLD: amount,
    })
    expect(oftSent!.args).toMatchObject({ dstEid: beta.eid, fromAddress: holder, amountSentLD: amount })
    expect(await balance(0, home.token, holder)).toBe(10_000_000_000n - amount)
    expect(await balance(1, remote.token, holder)).toBe(amount)
    // Conservation: what the adapter locks on the home chain circulates elsewhere, nothing more.
    const locked = await balance(0, home.token, home.oft)
    expect(locked).toBe(amount)
    expect((await supply(1, remote.token)) + (await supply(2, usdc().tokens[gamma.chainId]!.token))).toBe(
      locked,
    )
  })

  it('never delivers a packet whose source block was reorged out', async () => {
    const [alpha, beta] = running.chains as [(typeof running.chains)[0], (typeof running.chains)[0]]
    const home = usdc().tokens[alpha.chainId]!
    const before = await balance(1, usdc().tokens[beta.chainId]!.token, holder)
    const sent = await sendOft({
      chain: alpha,
      oft: home.oft,
      from: holder,
      dstEid: beta.eid,
      to: holder,
      amount: 5n,
    })
    await relayer.poll()
    const packet = relayer.pending()[0]!
    expect(packet.blockHash).toBe(sent.blockHash)

    // Replace the packet's block (and only it) with an empty one, then add confirmations on top.
    await alpha.test.request({ method: 'anvil_reorg' as never, params: [1, []] as never })
    expect((await alpha.public.getBlock({ blockNumber: sent.blockNumber })).hash).not.toBe(sent.blockHash)
    await alpha.test.mine({ blocks: 3 })
    await relayer.poll()
    await relayer.poll()

    expect(relayer.pending()).toEqual([])
    expect(relayer.reorgedOut.map((p) => p.guid)).toEqual([packet.guid])
    expect(relayer.delivered.map((x) => x.guid)).not.toContain(packet.guid)
    expect(await balance(1, usdc().tokens[beta.chainId]!.token, holder)).toBe(before)
    const hash = await read(beta, d.chains[1]!.endpoint, 'EndpointV2', 'inboundPayloadHash', [
      packet.receiver,
      packet.srcEid,
      packet.sender,
      packet.nonce,
    ])
    expect(hash).toBe(zeroHash)
  })

  it('does not deliver again after a restart (the destination endpoint decides)', async () => {
    const beta = running.chains[1]!
    const token = usdc().tokens[beta.chainId]!.token
    const before = await balance(1, token, holder)
    const fresh = createRelayer({ chains: relayerChains(), account: d.relayer, confirmations: 2 })
    await fresh.poll()
    expect(fresh.pending()).toEqual([])
    expect(fresh.delivered).toHaveLength(1)
    expect(fresh.delivered[0]!.dstTxHash).toBeUndefined()
    expect(await balance(1, token, holder)).toBe(before)
  })

  it('runs in the background and delivers a liability token transfer from gamma to alpha', async () => {
    const [alpha, , gamma] = running.chains as [
      (typeof running.chains)[0],
      (typeof running.chains)[0],
      (typeof running.chains)[0],
    ]
    const aUsdGamma = d.liabilities.anchor![gamma.chainId]!
    const aUsdAlpha = d.liabilities.anchor![alpha.chainId]!
    await write(gamma, d.deployer, aUsdGamma, 'DevnetOFT', 'mint', [holder, 10n ** 21n])
    const bg = createRelayer({
      chains: relayerChains(),
      account: d.relayer,
      confirmations: 0,
      pollIntervalMs: 20,
    })
    bg.start()
    try {
      await sendOft({
        chain: gamma,
        oft: aUsdGamma,
        from: holder,
        dstEid: alpha.eid,
        to: holder,
        amount: 10n ** 20n,
      })
      const deadline = Date.now() + 30_000
      while ((await balance(0, aUsdAlpha, holder)) === 0n && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
    } finally {
      await bg.stop()
    }
    expect(bg.errors).toEqual([])
    expect(await balance(0, aUsdAlpha, holder)).toBe(10n ** 20n)
    expect(await supply(2, aUsdGamma)).toBe(9n * 10n ** 20n)
  })
})

describe('decodePacket', () => {
  it('rejects a truncated packet', () => {
    expect(() => decodePacket('0x01')).toThrow(/Malformed LayerZero packet[\s\S]*1 bytes/)
  })
})
