/** What the Pool view's risk panel asks the API (sized for a devnet's short history; the browser test asks the same). */
export const riskPanelParameters = {
  backtest: { window: 20, confidence: 0.99, estimationWindow: 10, periodSeconds: 30 },
  recommendations: { target: 0.01, horizonDays: 10, paths: 2_000, seed: 1 },
} as const
