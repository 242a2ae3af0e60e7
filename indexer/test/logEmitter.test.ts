import { oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { decodeEventLog, erc20Abi, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeLog, startTestChain, type TestChain } from './testChain.js'

describe('log emitter on anvil', () => {
  let chain: TestChain
  beforeAll(async () => {
    chain = await startTestChain(31_990)
  })
  afterAll(async () => {
    await chain?.stop()
  })

  it('emits logs with 0 to 4 topics that viem decodes back', async () => {
    const token = '0x00000000000000000000000000000000000a2000'
    await chain.install([token])
    const transfer = encodeLog(token, erc20Abi, 'Transfer', {
      from: '0x0000000000000000000000000000000000000001',
      to: '0x0000000000000000000000000000000000000002',
      value: 2n ** 200n,
    })
    const joined = encodeLog(token, reservePoolRegistryAbi, 'MemberJoined', {
      poolId: `0x${'11'.repeat(32)}`,
      memberId: `0x${'22'.repeat(32)}`,
      name: 'alpha',
      liabilityToken: '0x0000000000000000000000000000000000000003',
      holders: ['0x0000000000000000000000000000000000000004'],
    })
    const sent = encodeLog(token, oftAbi, 'OFTSent', {
      guid: `0x${'33'.repeat(32)}`,
      dstEid: 40_102,
      fromAddress: '0x0000000000000000000000000000000000000005',
      amountSentLD: 7n,
      amountReceivedLD: 7n,
    })
    const block = await chain.emitBlock([transfer, joined, sent])
    const logs = await chain.request<{ topics: Hex[]; data: Hex; blockNumber: Hex }[]>('eth_getLogs', [
      { address: token, fromBlock: `0x${block.toString(16)}`, toBlock: `0x${block.toString(16)}` },
    ])
    expect(logs).toHaveLength(3)
    const abi = [...erc20Abi, ...reservePoolRegistryAbi, ...oftAbi]
    const decoded = logs.map((l) => decodeEventLog({ abi, topics: l.topics as [Hex], data: l.data }))
    expect(decoded.map((d) => d.eventName)).toEqual(['Transfer', 'MemberJoined', 'OFTSent'])
    expect((decoded[0]?.args as unknown as { value: bigint } | undefined)?.value).toBe(2n ** 200n)
    expect((decoded[1]?.args as unknown as { holders: string[] } | undefined)?.holders).toEqual([
      '0x0000000000000000000000000000000000000004',
    ])
  })
})
