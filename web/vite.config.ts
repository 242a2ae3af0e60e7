import { defineConfig } from 'vite'

// The dashboard: one page, served by `ballast start` at `/` beside `/graphql` (same origin, no CDN).
export default defineConfig({
  // Preact's automatic JSX runtime; no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // bigint literals and top-level await: every browser the dashboard supports has them.
    target: 'es2022',
    // The bench measures gzipped sizes itself (bench/src/benchmarks/dashboardBundle.ts).
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
})
