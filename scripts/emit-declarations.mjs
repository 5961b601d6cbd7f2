#!/usr/bin/env node
// Declarations with declaration maps, for a package built by tsup (run in the package folder after `tsup`).
// tsup's bundled declarations cannot carry maps (rollup-plugin-dts turns declarationMap off), so tsc emits one
// `.d.ts` + `.d.ts.map` per source file reachable from the tsup entries into dist/, mirroring src/ (dist/index.d.ts,
// dist/chain/index.d.ts, …: the paths `exports` names). Each is then copied to `.d.cts` + `.d.cts.map` with relative
// specifiers rewritten to `.cjs`, so `require` resolves to CommonJS types (no "masquerading as ESM" under node16).
// The maps point at ../src/*.ts, which the package publishes (`files`), so go-to-definition opens the TypeScript source.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'

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

const declarationFiles = (dir, suffix = '.d.ts') =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationFiles(join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [join(dir, e.name)] : [],
  )

// A private workspace package that tsup bundles into this one (`noExternal`, e.g. @alp/internal-errors) is never
// installed by users, so the published declarations must not import it: its declarations are copied into
// dist/_bundled/<name>/ and each import of it is rewritten to a relative path there.
const privateDeclarations = new Map() // package name → the module path to import instead (without extension), or null
function bundledPrivate(name) {
  if (privateDeclarations.has(name)) return privateDeclarations.get(name)
  let target = null
  // The installed package folder, looked up the way Node does (its `exports` may not expose package.json).
  let manifestPath
  for (let d = pkgDir; !manifestPath; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', name, 'package.json')))
      manifestPath = join(d, 'node_modules', name, 'package.json')
    if (dirname(d) === d) break
  }
  const manifest = manifestPath ? JSON.parse(readFileSync(manifestPath, 'utf8')) : undefined
  if (manifest?.private === true) {
    const types = manifest.exports?.['.']?.import?.types ?? manifest.types
    if (typeof types !== 'string' || !types.startsWith('./dist/') || !types.endsWith('.d.ts'))
      throw new Error(`${name}: its types (${types}) must be a .d.ts file under ./dist/`)
    const fromDist = join(dirname(manifestPath), 'dist')
    const toDist = join(outDir, '_bundled', name.replace(/^@/, '').replace('/', '-'))
    for (const file of declarationFiles(fromDist)) {
      const to = join(toDist, relative(fromDist, file))
      mkdirSync(dirname(to), { recursive: true })
      writeFileSync(to, readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'))
    }
    target = join(toDist, types.slice('./dist/'.length, -'.d.ts'.length))
  }
  privateDeclarations.set(name, target)
  return target
}
for (const file of declarationFiles(outDir)) {
  if (file.startsWith(join(outDir, '_bundled'))) continue
  const text = readFileSync(file, 'utf8')
  const rewritten = text.replace(/(from\s+|import\(\s*)(['"])([^'"./][^'"]*)\2/g, (whole, lead, quote, spec) => {
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
    const target = bundledPrivate(name)
    if (target === null) return whole
    if (spec !== name)
      throw new Error(
        `${relative(pkgDir, file)} imports ${spec}: only the root of a bundled private package is supported`,
      )
    const rel = relative(dirname(file), target)
    return `${lead}${quote}${rel.startsWith('.') ? rel : `./${rel}`}.js${quote}`
  })
  if (rewritten !== text) writeFileSync(file, rewritten)
}

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
      if (existsSync(`${base}.d.ts.map`)) {
        const map = JSON.parse(readFileSync(`${base}.d.ts.map`, 'utf8'))
        writeFileSync(`${base}.d.cts.map`, JSON.stringify({ ...map, file: `${name}.d.cts` }))
      }
      count++
    }
  }
}
walk(outDir)
console.log(`emit-declarations: ${count} declaration files (+ .d.cts twins, with maps) in ${relative(pkgDir, outDir)}/`)
