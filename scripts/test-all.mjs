#!/usr/bin/env node
// The whole test run, the same locally and in CI: lint, build, typecheck, every package's vitest suite,
// the Deno suites, then one plain closing line `N passed, N failed` (vitest's own summary is not a count CI reads).
// A failed check (lint, build, typecheck, dependencies, packages) counts as one failure, so a red run can never print
// "0 failed". `dependencies` (scripts/check-dependencies.mjs) compares each package's runtime imports with its
// `dependencies`; `packages` (scripts/check-packages.mjs) packs, installs and imports every package as a user would.
// Options (used by scripts/test-matrix.mjs, which runs this once per Node version):
//   --label=<text>         the closing line becomes `<text> run: N passed, N failed` (not a count line of its own)
//   --summary-file=<path>  also write {"passed","failed","skipped","node"} as JSON there
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const option = (name) =>
  process.argv
    .slice(2)
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
const label = option('label')
const summaryFile = option('summary-file')
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.CI ? '0' : '1' }
const checks = []

function step(name, cmd, args) {
  const started = Date.now()
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const run = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: root })
  const ok = run.status === 0
  checks.push({ name, ok, seconds: (Date.now() - started) / 1000 })
  return ok
}

// The repository scripts' own tests (node:test, scripts/*.test.mjs), counted test by test from the TAP summary.
let scriptPassed = 0
let scriptFailed = 0
function scriptTests() {
  const files = readdirSync(join(root, 'scripts'))
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => join(root, 'scripts', f))
  const started = Date.now()
  console.log(`\n=== scripts: node --test ${files.map((f) => f.slice(root.length + 1)).join(' ')}`)
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', ...files], {
    env,
    cwd: root,
    encoding: 'utf8',
  })
  process.stdout.write(run.stdout ?? '')
  process.stderr.write(run.stderr ?? '')
  const count = (word) => Number(new RegExp(`^# ${word} (\\d+)$`, 'm').exec(run.stdout ?? '')?.[1] ?? 0)
  scriptPassed = count('pass')
  scriptFailed = count('fail')
  // A run that died without a summary, or failed without a failing test, is one failed check.
  checks.push({
    name: 'scripts (node:test)',
    ok: run.status === 0 || scriptFailed > 0,
    seconds: (Date.now() - started) / 1000,
  })
}

const packageDirs = ['packages', 'examples'].flatMap((top) =>
  existsSync(join(root, top))
    ? readdirSync(join(root, top), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, top, d.name, 'package.json')))
        .map((d) => join(root, top, d.name))
    : [],
)
for (const dir of packageDirs) {
  rmSync(join(dir, '.vitest-result.json'), { force: true })
  rmSync(join(dir, '.deno-junit.xml'), { force: true })
}

const bin = (name) => join(root, 'node_modules', '.bin', name)

// The backtest's report test opens the HTML report in Debian's Chromium (playwright-core drives it). Install it when it is
// missing and we can (root with apt-get, as on a fresh CI machine); otherwise say how and count it as a failed check.
const CHROMIUM = '/usr/bin/chromium'
if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0
  if (canInstall)
    step('chromium (Debian package, for the report rendering test)', 'sh', [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null',
    ])
  else {
    console.error(`\n${CHROMIUM} is missing and cannot be installed here (needs root and apt-get).`)
    console.error(
      "Next: install Debian's chromium package (sudo apt-get install -y chromium), then run the tests again.",
    )
    checks.push({ name: 'chromium', ok: false, seconds: 0 })
  }
}
step('lint', bin('biome'), ['ci', ...(process.env.CI ? ['--colors=off'] : []), '.'])
// turbo runs every package task with the pnpm of package.json#packageManager: started through scripts/pnpm.mjs, that
// pnpm is on PATH even when this script was started from plain npm or node.
const turbo = (args) => [process.execPath, [join(root, 'scripts', 'pnpm.mjs'), 'exec', 'turbo', ...args]]
const built = step('build', ...turbo(['run', 'build', '--output-logs=errors-only']))
if (built) {
  step('typecheck', ...turbo(['run', 'typecheck', '--output-logs=errors-only']))
  step('dependencies (runtime imports = dependencies)', process.execPath, [
    join(root, 'scripts', 'check-dependencies.mjs'),
  ])
  scriptTests()
  step('packages (pack, npm install, ESM/CJS/Deno import, types, publint, attw)', process.execPath, [
    join(root, 'scripts', 'check-packages.mjs'),
  ])
  step('docs (every docs code block run or typechecked)', process.execPath, [join(root, 'scripts', 'check-docs.mjs')])
  // Most suites wait on sockets (anvil, emulators, child processes) more than they compute: three packages at a time, two
  // test files each, instead of vitest's default of one file at a time on a 2-core machine (cores − 1). `--only`: the
  // build above is done; without it turbo re-runs the dependencies' build tasks (cache hits that rewrite dist/) while
  // other packages' tests import those files.
  step('vitest', ...turbo(['run', 'test', '--only', '--concurrency=3', '--continue', '--', '--maxWorkers=2']))
  step('deno', ...turbo(['run', 'test:deno', '--only', '--concurrency=1', '--continue']))
}

let passed = scriptPassed
let failed = scriptFailed
let skipped = 0
for (const dir of packageDirs) {
  const vitestFile = join(dir, '.vitest-result.json')
  if (existsSync(vitestFile)) {
    const r = JSON.parse(readFileSync(vitestFile, 'utf8'))
    passed += r.numPassedTests
    failed += r.numFailedTests
    skipped += r.numPendingTests + r.numTodoTests
    // A suite that failed to load has no tests but must still count as a failure.
    failed += (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length
  }
  const junit = join(dir, '.deno-junit.xml')
  if (existsSync(junit)) {
    const xml = readFileSync(junit, 'utf8')
    const cases = (xml.match(/<testcase\b/g) ?? []).length
    const failures = (xml.match(/<failure\b/g) ?? []).length
    passed += cases - failures
    failed += failures
  }
}
const failedChecks = checks.filter((c) => !c.ok)
failed += failedChecks.length
console.log(`\n=== summary (Node ${process.version})`)
for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.seconds.toFixed(1)} s)`)
const counts = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`
console.log(label ? `${label} run: ${counts}` : counts)
if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped, node: process.version }))
process.exit(failed === 0 && skipped === 0 ? 0 : 1)
