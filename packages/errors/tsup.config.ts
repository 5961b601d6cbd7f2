import { defineConfig } from 'tsup'

// Private: each published package bundles this build into its own (tsup `noExternal`), so nothing depends on it at runtime.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
})
