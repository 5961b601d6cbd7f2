#!/usr/bin/env node
// Runtime dependencies = what the runtime imports, in every published package.
// Follows the relative imports from each tsup entry (tests, benches and test helpers are never reached), collects every
// bare specifier (static and dynamic imports, `export … from`, `require()`, `*.resolve('pkg/…')`), and compares the
// package names with `dependencies` + `peerDependencies`:
//   missing  a reached import whose package is not a runtime dependency (a devDependency would be bundled or absent)
//   unused   a runtime dependency the runtime never imports. A string literal naming the package ('pkg' or 'pkg/…', e.g.
//            an artifact path resolved at run time) counts as a use; `@types/x` is used when the built declarations
//            (dist/**/*.d.ts) import `x` (consumers need it to type-check them).
// Node built-ins (node:*) need nothing; a devDependency that tsup bundles (`noExternal`) needs nothing either.
// Also: engines.node equals the root's, and @types/node comes from the catalog at the major of the oldest supported
// Node. Exit 1 with one line per problem.
// Usage: node scripts/check-dependencies.mjs [package-dir…]
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const ts = createRequire(join(root, 'package.json'))('typescript')
const builtins = new Set(builtinModules)
const packageName = (spec) => {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}
const isBare = (spec) =>
  !spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('node:') && !builtins.has(spec.split('/')[0])

// One source file → its import specifiers (TypeScript's own scanner: imports, exports, import(), require()).
const importsOf = (text) => {
  const info = ts.preProcessFile(text, true, true)
  const specs = info.importedFiles.map((f) => f.fileName)
  for (const m of text.matchAll(/\.resolve\(\s*(['"])([^'"]+)\1/g)) specs.push(m[2])
  return specs
}
const resolveRelative = (from, spec) => {
  const base = join(dirname(from), spec)
  const candidates = [base, base.replace(/\.(c|m)?js$/, '.$1ts'), `${base}.ts`, join(base, 'index.ts')]
  return candidates.find((c) => existsSync(c) && !c.endsWith('/') && /\.(c|m)?ts$|\.json$/.test(c))
}

export function checkPackage(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const problems = []
  const tsup = readFileSync(join(dir, 'tsup.config.ts'), 'utf8')
  const entries = [...(/entry:\s*\[([^\]]*)\]/.exec(tsup)?.[1] ?? '').matchAll(/['"]([^'"]+)['"]/g)].map((m) =>
    join(dir, m[1]),
  )
  const binFiles = Object.values(typeof manifest.bin === 'string' ? { x: manifest.bin } : (manifest.bin ?? {})).map(
    (b) => join(dir, b),
  )
  const seen = new Set()
  const imported = new Map() // package name → first file importing it
  const literals = []
  const queue = [...entries, ...binFiles]
  while (queue.length > 0) {
    const file = queue.pop()
    if (seen.has(file) || file.endsWith('.json')) continue
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    literals.push(...[...text.matchAll(/(['"])((?:@[a-z0-9._-]+\/)?[a-z0-9._-]+(?:\/[^'"\s]*)?)\1/g)].map((m) => m[2]))
    for (const spec of importsOf(text)) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec)
        // Relative imports out of the package (e.g. ../dist from a bin) point at the build: nothing to follow.
        if (target?.startsWith(join(dir, 'src'))) queue.push(target)
      } else if (isBare(spec) && !imported.has(packageName(spec))) imported.set(packageName(spec), file)
    }
  }
  const runtime = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ])
  // Packages tsup bundles into the build (`noExternal: ['name', /regex/]`) are devDependencies by design.
  const noExternal = /noExternal:\s*\[([^\]]*)\]/.exec(tsup)?.[1] ?? ''
  const bundled = [
    ...[...noExternal.matchAll(/['"]([^'"]+)['"]/g)].map((m) => (name) => name === m[1]),
    ...[...noExternal.replace(/(['"])[^'"]*\1/g, '').matchAll(/\/((?:\\.|[^/\n])+)\/([a-z]*)/g)].map(
      (m) => (name) => new RegExp(m[1], m[2]).test(name),
    ),
  ]
  const isBundled = (name) => bundled.some((match) => match(name)) && manifest.devDependencies?.[name] !== undefined
  for (const [name, file] of imported)
    if (!runtime.has(name) && name !== manifest.name && !isBundled(name)) {
      const where = manifest.devDependencies?.[name] ? 'it is only a devDependency' : 'it is not declared'
      problems.push(`missing runtime dependency ${name}: imported by ${relative(dir, file)}, ${where}`)
    }

  // Packages the published declarations import (consumers type-check them: `x` without own types needs @types/x).
  const declared = new Set()
  const walk = (d) => {
    if (!existsSync(d)) return
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.d\.(c|m)?ts$/.test(e.name))
        for (const s of importsOf(readFileSync(p, 'utf8'))) if (isBare(s)) declared.add(packageName(s))
    }
  }
  walk(join(dir, 'dist'))
  // A package the declarations import must be installed for consumers, with types: its own or @types/<name>.
  const ownRequire = createRequire(join(dir, 'package.json'))
  const hasOwnTypes = (name) => {
    try {
      const m = JSON.parse(readFileSync(ownRequire.resolve(`${name}/package.json`), 'utf8'))
      const pkgDir = dirname(ownRequire.resolve(`${name}/package.json`))
      return Boolean(
        m.types ||
          m.typings ||
          JSON.stringify(m.exports ?? {}).includes('"types"') ||
          existsSync(join(pkgDir, 'index.d.ts')),
      )
    } catch {
      return true // not resolvable here (e.g. exports without ./package.json): the import check above covers it
    }
  }
  const typesName = (name) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`
  for (const name of declared) {
    if (name === manifest.name) continue
    if (!runtime.has(name))
      problems.push(`missing runtime dependency ${name}: the published declarations (dist/) import it`)
    else if (!hasOwnTypes(name) && !runtime.has(typesName(name)))
      problems.push(
        `missing runtime dependency ${typesName(name)}: the published declarations import ${name}, which has no types of its own (consumers get TS7016 with skipLibCheck: false)`,
      )
  }
  const used = (name) => {
    if (imported.has(name)) return true
    if (literals.some((l) => l === name || l.startsWith(`${name}/`))) return true
    if (name.startsWith('@types/')) {
      const target = name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2')
      return declared.has(target)
    }
    return false
  }
  for (const name of Object.keys(manifest.dependencies ?? {}))
    if (!used(name))
      problems.push(
        `unused runtime dependency ${name}: the runtime (from ${entries.map((e) => relative(dir, e)).join(', ')}) never imports it; move it to devDependencies or drop it`,
      )
  // The oldest supported Node: every package declares the root's engines.node, and @types/node is of that major.
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const engines = rootManifest.engines?.node
  if (manifest.engines?.node !== engines)
    problems.push(
      `engines.node is ${JSON.stringify(manifest.engines?.node)}, the workspace supports ${JSON.stringify(engines)}`,
    )
  const typesNode = manifest.devDependencies?.['@types/node'] ?? manifest.dependencies?.['@types/node']
  const catalogTypesNode = /^\s+"@types\/node":\s*(\S+)/m.exec(
    readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8'),
  )?.[1]
  const oldestMajor = /(\d+)/.exec(engines ?? '')?.[1]
  if (typesNode !== undefined && typesNode !== 'catalog:')
    problems.push(`@types/node is ${JSON.stringify(typesNode)}: use "catalog:" (one version for the workspace)`)
  if (typesNode !== undefined && !new RegExp(`^[~^]?${oldestMajor}\\.`).test(catalogTypesNode ?? ''))
    problems.push(
      `@types/node in the catalog is ${catalogTypesNode}: it must follow the oldest supported Node (${oldestMajor})`,
    )
  return { name: manifest.name, private: manifest.private === true, problems }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2).length
    ? process.argv.slice(2)
    : readdirSync(join(root, 'packages'), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'tsup.config.ts')))
        .map((d) => join(root, 'packages', d.name))
  let bad = 0
  for (const dir of dirs) {
    const { name, private: isPrivate, problems } = checkPackage(dir)
    if (isPrivate) continue
    for (const p of problems) console.log(`FAIL ${name}: ${p}`)
    if (problems.length === 0) console.log(`ok   ${name}`)
    bad += problems.length
  }
  process.exit(bad === 0 ? 0 : 1)
}
