import { defineConfig } from 'tsup'

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/chain/index.ts',
    'src/matching/index.ts',
    'src/binance/index.ts',
    'src/deribit/index.ts',
    'src/grvt/index.ts',
    'src/cli.ts',
  ],
  format: ['esm', 'cjs'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The shared error base is private: bundled into this build, never a runtime dependency.
  noExternal: ['@alp/internal-errors'],
  platform: 'node',
})
