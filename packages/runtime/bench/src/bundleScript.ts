import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Bundles a bench child script (TypeScript under bench/src) with esbuild, the repo's build tool reached through tsup
 * (pnpm does not hoist it), into node_modules/.cache; zeromq and better-sqlite3 (native addons) stay external.
 * Returns the bundle's path, to run with `node`.
 */
export function bundleScript(entry: string): string {
  const outfile = join(
    here,
    '..',
    '..',
    'node_modules',
    '.cache',
    `alp-bench-${entry.replace(/\W/g, '-')}-${process.pid}.mjs`,
  )
  mkdirSync(dirname(outfile), { recursive: true })
  const fromHere = createRequire(import.meta.url)
  const esbuild = createRequire(fromHere.resolve('tsup'))('esbuild') as {
    buildSync(options: Record<string, unknown>): unknown
  }
  esbuild.buildSync({
    entryPoints: [join(here, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['zeromq', 'better-sqlite3'],
    // CommonJS dependencies bundled into an ES module still call require()
    banner: {
      js: "import { createRequire as __alpCreateRequire } from 'node:module'; const require = __alpCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  return outfile
}
