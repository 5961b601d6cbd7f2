#!/usr/bin/env node
// Declarations with declaration maps, for a package built by tsup (run in the package folder after `tsup`).
// tsup's bundled declarations cannot carry maps (rollup-plugin-dts turns declarationMap off), so tsc emits one
// `.d.ts` + `.d.ts.map` per source file reachable from the tsup entries into dist/, mirroring src/ (dist/index.d.ts,
// dist/chain/index.d.ts, …: the paths `exports` names). Each is then copied to `.d.cts` + `.d.cts.map` with relative
// specifiers rewritten to `.cjs`, so `require` resolves to CommonJS types (no "masquerading as ESM" under node16).
// The maps point at ../src/*.ts, which the package publishes (`files`), so go-to-definition opens the TypeScript source.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'

const pkgDir = process.cwd()
const tsupConfig = readFileSync(join(pkgDir, 'tsup.config.ts'), 'utf8')
const entryList = /entry:\s*\[([^\]]*)\]/.exec(tsupConfig)?.[1]
const entries = [...(entryList ?? '').matchAll(/['"]([^'"]+)['"]/g)].map((m) => join(pkgDir, m[1]))
if (entries.length === 0) {
  console.error(`emit-declarations: no \`entry: [...]\` found in ${join(pkgDir, 'tsup.config.ts')}`)
  process.exit(2)
}
const outDir = join(pkgDir, 'dist')
// The generated tsconfig sits in the package's node_modules so that @types are found as from the package itself.
const work = join(pkgDir, 'node_modules', '.cache')
mkdirSync(work, { recursive: true })
const tsconfig = join(work, `tsconfig.declarations.${process.pid}.json`)
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: join(pkgDir, 'tsconfig.json'),
    compilerOptions: {
      noEmit: false,
      declaration: true,
      declarationMap: true,
      emitDeclarationOnly: true,
      sourceMap: false,
      rootDir: join(pkgDir, 'src'),
      outDir,
      composite: false,
      incremental: false,
    },
    files: entries,
    include: [],
  }),
)
const tsc = createRequire(join(pkgDir, 'package.json')).resolve('typescript/bin/tsc')
const r = spawnSync(process.execPath, [tsc, '-p', tsconfig], { stdio: 'inherit', cwd: pkgDir })
rmSync(tsconfig, { force: true })
if (r.status !== 0) process.exit(r.status ?? 1)

// A relative specifier in a declaration ('./x.js', "../y/index.js", import('./z.js')) → the .cjs twin.
const toCjs = (text) => text.replace(/(['"])(\.{1,2}\/[^'"]*?)\.js\1/g, '$1$2.cjs$1')
let count = 0
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.name.endsWith('.d.ts')) {
      const base = path.slice(0, -'.d.ts'.length)
      const name = entry.name.slice(0, -'.d.ts'.length)
      const dts = readFileSync(path, 'utf8')
      writeFileSync(
        `${base}.d.cts`,
        toCjs(dts).replace(`//# sourceMappingURL=${name}.d.ts.map`, `//# sourceMappingURL=${name}.d.cts.map`),
      )
      const map = JSON.parse(readFileSync(`${base}.d.ts.map`, 'utf8'))
      writeFileSync(`${base}.d.cts.map`, JSON.stringify({ ...map, file: `${name}.d.cts` }))
      count++
    }
  }
}
walk(outDir)
console.log(`emit-declarations: ${count} declaration files (+ .d.cts twins, with maps) in ${relative(pkgDir, outDir)}/`)
