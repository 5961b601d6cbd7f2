// node --test scripts/check-dependencies.test.mjs: the runtime-dependency check on small packages made in a temp dir.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, test } from 'node:test'
import { checkPackage } from './check-dependencies.mjs'

const work = mkdtempSync(join(tmpdir(), 'alp-check-dependencies-test-'))
after(() => rmSync(work, { recursive: true, force: true }))

function makePackage(name, manifest, files) {
  const dir = join(work, name)
  for (const [path, text] of Object.entries({
    'package.json': JSON.stringify({ name: `@fixture/${name}`, engines: { node: '>=20.11' }, ...manifest }),
    'tsup.config.ts': "export default { entry: ['src/index.ts'] }",
    ...files,
  })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

test('a package whose dependencies are exactly its runtime imports passes', () => {
  const dir = makePackage(
    'exact',
    { dependencies: { 'left-pad': '1.0.0', 'artifact-pkg': '1.0.0', 'lazy-pkg': '1.0.0' } },
    {
      'src/index.ts': "export { pad } from './pad.js'\nexport const load = () => import('lazy-pkg')\n",
      'src/pad.ts':
        "import leftPad from 'left-pad'\nimport { readFileSync } from 'node:fs'\nexport const pad = leftPad\nexport const path = 'artifact-pkg/build/Token.json'\nexport const r = readFileSync\n",
      // Tests and helpers nothing reaches from the entry may import anything.
      'src/pad.test.ts': "import { test } from 'vitest'\nimport fc from 'fast-check'\n",
      'src/internal/testOnly.ts': "import JSBI from 'jsbi'\n",
    },
  )
  assert.deepEqual(checkPackage(dir).problems, [])
})

test('a runtime import that is only a devDependency is missing; a dependency nothing imports is unused', () => {
  const dir = makePackage(
    'wrong',
    { dependencies: { 'venue-sim': '1.0.0' }, devDependencies: { 'left-pad': '1.0.0' } },
    { 'src/index.ts': "export * from './a.js'\n", 'src/a.ts': "export { default as pad } from 'left-pad/index.js'\n" },
  )
  const problems = checkPackage(dir).problems
  assert.equal(problems.length, 2, problems.join('\n'))
  assert.match(problems[0], /^missing runtime dependency left-pad: imported by src\/a\.ts, it is only a devDependency/)
  assert.match(problems[1], /^unused runtime dependency venue-sim:/)
})

test('a devDependency that tsup bundles (noExternal) is not a missing runtime dependency; another devDependency is', () => {
  const dir = makePackage(
    'bundling',
    { devDependencies: { '@fixture/internal-errors': 'workspace:*', '@uniswap/v3-sdk': '1.0.0', 'left-pad': '1.0.0' } },
    {
      'tsup.config.ts':
        "export default { entry: ['src/index.ts'], noExternal: ['@fixture/internal-errors', /^@uniswap\\//] }",
      'src/index.ts':
        "export { AlpError } from '@fixture/internal-errors'\nexport { Pool } from '@uniswap/v3-sdk'\nexport { default } from 'left-pad'\n",
    },
  )
  const problems = checkPackage(dir).problems
  assert.equal(problems.length, 1, problems.join('\n'))
  assert.match(problems[0], /^missing runtime dependency left-pad:/)
})

test('engines.node must be the workspace one', () => {
  const dir = makePackage('old-node', { engines: { node: '>=18' } }, { 'src/index.ts': 'export const x = 1\n' })
  assert.deepEqual(checkPackage(dir).problems, ['engines.node is ">=18", the workspace supports ">=20.11"'])
})
