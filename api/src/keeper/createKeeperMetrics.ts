import { Counter, Gauge, Registry } from 'prom-client'
import type { KeeperDecision } from './KeeperDecision.js'

/** The keeper's Prometheus metrics (served by `ballast keeper --metrics-port`). */
export type KeeperMetrics = {
  registry: Registry
  /** Counts one recorded decision: its triggers, each action by status, USD moved, limits hit. */
  observe(decision: KeeperDecision, pendingActions: number): void
}

/**
 * Creates the keeper's metrics on their own registry:
 * - `ballast_keeper_decisions_total{policy}`;
 * - `ballast_keeper_triggers_total{policy,trigger}`: triggers that fired;
 * - `ballast_keeper_actions_total{policy,action,status}`: action outcomes by status;
 * - `ballast_keeper_moved_usd_total{policy}`: USD proposed or sent (floats, for dashboards;
 *   the exact figures are in the journal);
 * - `ballast_keeper_limits_hit_total{policy,limit}`;
 * - `ballast_keeper_pending_actions{policy}`: proposals not yet seen executed, and executions
 *   not yet delivered.
 *
 * @returns the metrics
 */
export function createKeeperMetrics(): KeeperMetrics {
  const registry = new Registry()
  const decisions = new Counter({
    name: 'ballast_keeper_decisions_total',
    help: 'Keeper decisions recorded.',
    labelNames: ['policy'],
    registers: [registry],
  })
  const triggers = new Counter({
    name: 'ballast_keeper_triggers_total',
    help: 'Keeper triggers that fired, by trigger id.',
    labelNames: ['policy', 'trigger'],
    registers: [registry],
  })
  const actions = new Counter({
    name: 'ballast_keeper_actions_total',
    help: 'Keeper action outcomes, by action id and status.',
    labelNames: ['policy', 'action', 'status'],
    registers: [registry],
  })
  const moved = new Counter({
    name: 'ballast_keeper_moved_usd_total',
    help: 'USD the keeper proposed or sent (first waves).',
    labelNames: ['policy'],
    registers: [registry],
  })
  const limits = new Counter({
    name: 'ballast_keeper_limits_hit_total',
    help: 'Actions refused by a hard limit, by limit.',
    labelNames: ['policy', 'limit'],
    registers: [registry],
  })
  const pending = new Gauge({
    name: 'ballast_keeper_pending_actions',
    help: 'Proposals not yet seen executed and executions not yet delivered.',
    labelNames: ['policy'],
    registers: [registry],
  })
  return {
    registry,
    observe(d, pendingActions) {
      decisions.inc({ policy: d.policy })
      for (const t of d.triggered) triggers.inc({ policy: d.policy, trigger: t.id })
      for (const a of d.actions) {
        actions.inc({ policy: d.policy, action: a.actionId, status: a.status })
        if ((a.status === 'proposed' || a.status === 'executing') && a.movedUsd !== undefined) {
          moved.inc({ policy: d.policy }, Number(a.movedUsd))
        }
        if (a.status === 'limit-hit' && a.limit !== undefined)
          limits.inc({ policy: d.policy, limit: a.limit })
      }
      pending.set({ policy: d.policy }, pendingActions)
    },
  }
}
