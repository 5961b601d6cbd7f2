import { defineConfig } from 'tsup'

export default defineConfig({
  // src/paper/index.ts: `@alp/runtime/paper` (paper mode; loads the optional peers @alp/venue-sim and @alp/backtest).
  entry: ['src/index.ts', 'src/cli/main.ts', 'src/paper/index.ts'],
  format: ['esm', 'cjs'],
  // Declarations (with declaration maps) come from scripts/emit-declarations.mjs, run after tsup by `build`.
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The shared error base is private: bundled into this build, never a runtime dependency.
  noExternal: ['@alp/internal-errors'],
  platform: 'node',
  shims: true,
})
