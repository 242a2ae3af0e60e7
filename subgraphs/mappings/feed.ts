import { AggregatorV3, AnswerUpdated } from '../generated/templates/PriceFeed/AggregatorV3'
import { PriceFeed, PriceRound } from '../generated/schema'

export function handleAnswerUpdated(event: AnswerUpdated): void {
  const feed = PriceFeed.load(event.address)
  if (feed == null) return
  if (feed.decimals == 0) {
    // Configured feeds may be deployed after the start block: read decimals once they exist.
    const decimals = AggregatorV3.bind(event.address).try_decimals()
    if (!decimals.reverted) feed.decimals = decimals.value
  }
  feed.answer = event.params.current
  feed.roundId = event.params.roundId
  feed.updatedAt = event.params.updatedAt
  feed.updatedAtBlock = event.block.number
  feed.save()
  const round = new PriceRound(event.transaction.hash.concatI32(event.logIndex.toI32()))
  round.feed = event.address
  round.answer = event.params.current
  round.roundId = event.params.roundId
  round.updatedAt = event.params.updatedAt
  round.blockNumber = event.block.number
  round.logIndex = event.logIndex
  round.save()
}
