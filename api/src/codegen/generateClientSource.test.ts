import { describe, expect, it } from 'vitest'
import { readTypeDefs } from '../createApi.js'
import { generateClientSource } from './generateClientSource.js'

describe('generateClientSource', () => {
  it('types results and variables from the schema', () => {
    const source = generateClientSource(readTypeDefs(), [
      {
        name: 'x.graphql',
        source:
          'query Ratio($id: ID!, $at: Timestamp) { pool(id: $id, at: $at) { ratio: reserveRatio healthy } }',
      },
    ])
    expect(source).toContain(
      'export type RatioQuery = {\n  pool: {\n    ratio: Decimal | null\n    healthy: boolean\n  }\n}',
    )
    expect(source).toContain('export type RatioQueryVariables = {\n  id: string\n  at?: number | null\n}')
    expect(source).toContain('variablesRequired: true')
  })

  it('refuses a document with a field the schema lacks, naming it', () => {
    expect(() =>
      generateClientSource(readTypeDefs(), [
        { name: 'bad.graphql', source: 'query Bad { pools { nodes { colour } } }' },
      ]),
    ).toThrow(/bad.graphql: Cannot query field "colour" on type "Pool"/)
  })

  it('refuses anonymous operations', () => {
    expect(() =>
      generateClientSource(readTypeDefs(), [{ name: 'a.graphql', source: '{ chains { chainId } }' }]),
    ).toThrow(/Operations must be named/)
  })
})
