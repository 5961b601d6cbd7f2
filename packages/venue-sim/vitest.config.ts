import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // ccxt's Exchange.close() rejects, with ExchangeClosedByUser, the futures its WebSocket clients still hold
    // internally (ccxt/js/src/base/Exchange.js close() → Client.reset), which no caller can await. Only that error, by
    // name, is ignored; any other unhandled error still fails the run.
    onUnhandledError: (error) =>
      (error as { name?: unknown } | null)?.name === 'ExchangeClosedByUser' ? false : undefined,
    benchmark: { include: ['src/**/*.bench.ts', 'bench/**/*.bench.ts'] },
  },
})
