/**
 * The parts of LayerZero V2's OFT / OFTAdapter (`IOFT`, `OFTCore`) that Ballast reads and calls:
 * the send/receive events matched by `guid`, `quoteSend` and `send`.
 * Source: LayerZero-v2 `packages/layerzero-v2/evm/oapp/contracts/oft/interfaces/IOFT.sol`.
 */
const sendParam = {
  name: '_sendParam',
  type: 'tuple',
  components: [
    { name: 'dstEid', type: 'uint32' },
    { name: 'to', type: 'bytes32' },
    { name: 'amountLD', type: 'uint256' },
    { name: 'minAmountLD', type: 'uint256' },
    { name: 'extraOptions', type: 'bytes' },
    { name: 'composeMsg', type: 'bytes' },
    { name: 'oftCmd', type: 'bytes' },
  ],
} as const

const messagingFee = {
  name: '_fee',
  type: 'tuple',
  components: [
    { name: 'nativeFee', type: 'uint256' },
    { name: 'lzTokenFee', type: 'uint256' },
  ],
} as const

export const oftAbi = [
  {
    type: 'event',
    name: 'OFTSent',
    inputs: [
      { name: 'guid', type: 'bytes32', indexed: true },
      { name: 'dstEid', type: 'uint32', indexed: false },
      { name: 'fromAddress', type: 'address', indexed: true },
      { name: 'amountSentLD', type: 'uint256', indexed: false },
      { name: 'amountReceivedLD', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'OFTReceived',
    inputs: [
      { name: 'guid', type: 'bytes32', indexed: true },
      { name: 'srcEid', type: 'uint32', indexed: false },
      { name: 'toAddress', type: 'address', indexed: true },
      { name: 'amountReceivedLD', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'function',
    name: 'token',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
  {
    type: 'function',
    name: 'approvalRequired',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'quoteSend',
    stateMutability: 'view',
    inputs: [sendParam, { name: '_payInLzToken', type: 'bool' }],
    outputs: [{ name: 'msgFee', type: 'tuple', components: messagingFee.components }],
  },
  {
    type: 'function',
    name: 'send',
    stateMutability: 'payable',
    inputs: [sendParam, messagingFee, { name: '_refundAddress', type: 'address' }],
    outputs: [
      {
        name: 'msgReceipt',
        type: 'tuple',
        components: [
          { name: 'guid', type: 'bytes32' },
          { name: 'nonce', type: 'uint64' },
          {
            name: 'fee',
            type: 'tuple',
            components: messagingFee.components,
          },
        ],
      },
      {
        name: 'oftReceipt',
        type: 'tuple',
        components: [
          { name: 'amountSentLD', type: 'uint256' },
          { name: 'amountReceivedLD', type: 'uint256' },
        ],
      },
    ],
  },
] as const
