import { type Address, getAddress, type Hex, hexToNumber, keccak256, size, slice, sliceHex } from 'viem'
import { DevnetError } from '../errors/DevnetError.js'

/** A LayerZero V2 packet as the send library encodes it (`PacketV1Codec`). */
export type DecodedPacket = {
  version: number
  nonce: bigint
  srcEid: number
  /** Sending OApp, left-padded to bytes32. */
  sender: Hex
  dstEid: number
  /** Receiving OApp, bytes32 as sent. */
  receiverB32: Hex
  /** Receiving OApp as an EVM address (low 20 bytes). */
  receiver: Address
  guid: Hex
  message: Hex
  /** guid ++ message: what the endpoint hashes and what `validatePacket` verifies. */
  payload: Hex
  payloadHash: Hex
}

/** Bytes before the guid: version 1, nonce 8, srcEid 4, sender 32, dstEid 4, receiver 32. */
const headerSize = 81

/**
 * Decodes a packet from the `encodedPayload` of EndpointV2's `PacketSent` event. Layout (LayerZero
 * V2 `PacketV1Codec.sol`): `uint8 version | uint64 nonce | uint32 srcEid | bytes32 sender |
 * uint32 dstEid | bytes32 receiver | bytes32 guid | bytes message`.
 *
 * @param encoded The encoded packet.
 * @returns Its fields.
 * @throws DevnetError if it is too short or not version 1.
 * @example
 * ```ts
 * const p = decodePacket(log.args.encodedPayload)
 * p.dstEid // 40102
 * ```
 */
export function decodePacket(encoded: Hex): DecodedPacket {
  if (size(encoded) < headerSize + 32) {
    throw new DevnetError('Malformed LayerZero packet.', {
      details: `${size(encoded)} bytes; a V1 packet has at least ${headerSize + 32}.`,
    })
  }
  const version = hexToNumber(slice(encoded, 0, 1))
  if (version !== 1) {
    throw new DevnetError('Unsupported LayerZero packet version.', {
      details: `version ${version}; expected 1.`,
    })
  }
  const receiverB32 = slice(encoded, 49, 81)
  const payload = sliceHex(encoded, headerSize)
  return {
    version,
    nonce: BigInt(slice(encoded, 1, 9)),
    srcEid: hexToNumber(slice(encoded, 9, 13)),
    sender: slice(encoded, 13, 45),
    dstEid: hexToNumber(slice(encoded, 45, 49)),
    receiverB32,
    receiver: getAddress(slice(receiverB32, 12, 32)),
    guid: slice(encoded, 81, 113),
    message: size(encoded) > 113 ? sliceHex(encoded, 113) : '0x',
    payload,
    payloadHash: keccak256(payload),
  }
}
