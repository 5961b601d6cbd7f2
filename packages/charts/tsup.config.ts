import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // Declarations (with declaration maps) come from scripts/emit-declarations.mjs, run after tsup by `build`.
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  shims: true,
})
