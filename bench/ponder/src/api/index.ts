// HTTP API of the Ponder app: Ponder's generated GraphQL, plus `/bench/totals` (every balance and
// supply as exact decimal strings) that the harness compares with Ballast's totals.

import { db } from 'ponder:api'
import schema, { balance, supply } from 'ponder:schema'
import { Hono } from 'hono'
import { graphql } from 'ponder'

const app = new Hono()

app.use('/graphql', graphql({ db, schema }))

app.get('/bench/totals', async (c) => {
  const [balances, supplies] = await Promise.all([db.select().from(balance), db.select().from(supply)])
  return c.json({
    balances: balances.map((b) => ({
      chainId: b.chainId,
      token: b.token,
      holder: b.holder,
      amount: b.amount.toString(),
    })),
    supplies: supplies.map((s) => ({ chainId: s.chainId, token: s.token, amount: s.amount.toString() })),
  })
})

export default app
