import { DashboardMembersDocument, type DashboardMembersQuery } from '@ballast/sdk/client'
import { useMemo, useState } from 'preact/hooks'
import { client } from '../api.js'
import { Figure } from '../Figure.js'
import type { Live } from '../live/useLive.js'
import { type ProofCheck, verifyProofText } from '../proofs/verifyProofText.js'
import { hrefOf } from '../route.js'
import { useQuery } from '../useQuery.js'
import { QueryError } from './QueryError.js'

type MemberNode = DashboardMembersQuery['members']['nodes'][number]

/** A member: holdings, liabilities, transfers in flight, and its solvency proof verified in this browser. */
export function MemberView(props: {
  poolId: string
  memberId: string | undefined
  at: number | undefined
  live: Live
}) {
  const q = useQuery(
    () =>
      client.request(
        DashboardMembersDocument,
        props.at === undefined ? { poolId: props.poolId } : { poolId: props.poolId, at: props.at },
      ),
    [props.poolId, props.at, props.at === undefined ? props.live.version : 0],
  )
  if (q.data === undefined)
    return q.status === 'error' ? <QueryError error={q.error} /> : <p>Loading members…</p>
  const members = q.data.members.nodes
  const member = members.find((m) => m.id === props.memberId) ?? members[0]
  if (member === undefined) return <p role="alert">This pool has no members.</p>
  if (props.memberId !== undefined && member.id !== props.memberId) {
    return (
      <div class="error" role="alert" data-testid="query-error">
        <p>
          Unknown member: the pool has no member with id <code>{props.memberId}</code>.
        </p>
        <p>
          <a href={hrefOf({ view: 'member', poolId: props.poolId, memberId: undefined, at: props.at })}>
            See its members
          </a>
        </p>
      </div>
    )
  }
  return (
    <>
      {q.status === 'error' && <QueryError error={q.error} stale />}
      <Member
        member={member}
        members={members}
        poolId={props.poolId}
        at={props.at}
        names={new Map((props.live.meta?.chains ?? []).map((c) => [c.chainId, c.name]))}
      />
    </>
  )
}

function Member(props: {
  member: MemberNode
  members: MemberNode[]
  poolId: string
  at: number | undefined
  names: ReadonlyMap<number, string>
}) {
  const { member } = props
  const chain = (id: number) => props.names.get(id) ?? String(id)
  const check = useMemo(() => verifyProofText(member.solvencyProof.proof), [member.solvencyProof.proof])
  return (
    <section data-testid="member-view" data-member-id={member.id}>
      <h1>Member {member.name}</h1>
      <p>
        <label for="member-select">Member </label>
        <select
          id="member-select"
          value={member.id}
          onChange={(e) => {
            window.location.hash = hrefOf({
              view: 'member',
              poolId: props.poolId,
              memberId: (e.target as HTMLSelectElement).value,
              at: props.at,
            })
          }}
        >
          {props.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </p>
      <dl class="figures">
        <div>
          <dt>Reserve ratio</dt>
          <dd class="big">
            <Figure value={member.reserveRatio} kind="ratio" testId="member-ratio" />
          </dd>
        </div>
        <div>
          <dt>Adjusted reserves (USD)</dt>
          <dd>
            <Figure value={member.adjustedReservesUsd} kind="usd" testId="member-adjusted" />
          </dd>
        </div>
        <div>
          <dt>Reserves at market (USD)</dt>
          <dd>
            <Figure value={member.reservesUsd} kind="usd" />
          </dd>
        </div>
        <div>
          <dt>Liabilities (USD)</dt>
          <dd>
            <Figure value={member.liabilitiesUsd} kind="usd" testId="member-liabilities" />
          </dd>
        </div>
      </dl>

      <h2>Solvency proof</h2>
      <ProofVerdict check={check} testId="proof-verdict" />
      <p class="note">
        Root <code>{member.solvencyProof.root}</code>, total liabilities{' '}
        <Figure value={member.solvencyProof.rootSum} kind="usd" /> USD. The API says{' '}
        {member.solvencyProof.verified ? 'verified' : 'NOT verified'}; the verdict above is this browser's
        own, by the sdk's verifier with nothing but the proof and the root.
      </p>
      <ProofChecker proof={member.solvencyProof.proof} />

      <h2>Holdings</h2>
      <table data-testid="holdings-table">
        <caption>Reserve holdings per chain and asset (token units)</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Asset</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {member.holdings.map((h) => (
            <tr key={`${h.chainId}-${h.asset}`}>
              <td>{chain(h.chainId)}</td>
              <td>{h.asset}</td>
              <td class="num">
                <Figure value={h.amount} kind="amount" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Liabilities</h2>
      <table data-testid="liabilities-table">
        <caption>Circulating supply per chain (tokens locked in an OFT adapter excluded)</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Token</th>
            <th scope="col">Supply</th>
          </tr>
        </thead>
        <tbody>
          {member.liabilities.map((l) => (
            <tr key={`${l.chainId}-${l.symbol}`}>
              <td>{chain(l.chainId)}</td>
              <td>{l.symbol}</td>
              <td class="num">
                <Figure value={l.supply} kind="amount" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Per chain</h2>
      <table data-testid="member-chains-table">
        <caption>This member's figures per chain</caption>
        <thead>
          <tr>
            <th scope="col">Chain</th>
            <th scope="col">Ratio</th>
            <th scope="col">Adjusted reserves (USD)</th>
            <th scope="col">Liabilities (USD)</th>
          </tr>
        </thead>
        <tbody>
          {member.chains.map((c) => (
            <tr key={c.chainId}>
              <td>{chain(c.chainId)}</td>
              <td class="num">
                <Figure value={c.reserveRatio} kind="ratio" />
              </td>
              <td class="num">
                <Figure value={c.adjustedReservesUsd} kind="usd" />
              </td>
              <td class="num">
                <Figure value={c.liabilitiesUsd} kind="usd" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>In flight</h2>
      {member.inFlight.length === 0 ? (
        <p>Nothing in flight.</p>
      ) : (
        <table data-testid="member-in-flight">
          <caption>Bridge transfers sent and not yet received</caption>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">From chain</th>
              <th scope="col">To chain</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {member.inFlight.map((t, i) => (
              <tr key={t.guid ?? i}>
                <td>{t.asset}</td>
                <td>{chain(t.fromChainId)}</td>
                <td>{chain(t.toChainId)}</td>
                <td class="num">
                  <Figure value={t.amount} kind="amount" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function ProofVerdict(props: { check: ProofCheck; testId: string }) {
  const { check } = props
  return check.ok ? (
    <p class="ok-box" data-testid={props.testId} data-ok="true">
      <span class="proof-ok">✔ Verified in your browser:</span> this member's liabilities of{' '}
      <Figure value={check.leafAmountUsd} kind="usd" /> USD are included in the root, whose total{' '}
      <Figure value={check.rootTotalUsd} kind="usd" /> USD the adjusted reserves of{' '}
      <Figure value={check.adjustedReservesUsd} kind="usd" /> USD cover.
    </p>
  ) : (
    <p class="error" data-testid={props.testId} data-ok="false">
      <span class="proof-bad">✘ Fails verification in your browser:</span> {check.reason}
    </p>
  )
}

function ProofChecker(props: { proof: string }) {
  const pretty = useMemo(() => JSON.stringify(JSON.parse(props.proof), null, 2), [props.proof])
  const [text, setText] = useState(pretty)
  const [check, setCheck] = useState<ProofCheck | undefined>(undefined)
  return (
    <details>
      <summary>Check a proof yourself (edit it, or paste another)</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setCheck(verifyProofText(text))
        }}
      >
        <label for="proof-text">Solvency statement (JSON)</label>
        <textarea
          id="proof-text"
          rows={14}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <button type="submit">Verify</button>{' '}
        <button
          type="button"
          onClick={() => {
            setText(pretty)
            setCheck(undefined)
          }}
        >
          Restore the API's proof
        </button>
      </form>
      <div aria-live="polite">
        {check !== undefined && <ProofVerdict check={check} testId="proof-check" />}
      </div>
    </details>
  )
}
