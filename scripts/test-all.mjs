#!/usr/bin/env node
// The whole test run, the same locally and in CI: lint, build, typecheck, every package's vitest suite,
// the Deno suites, then one plain closing line `N passed, N failed` (vitest's own summary is not a count CI reads).
// A failed check (lint, build, typecheck, dependencies, packages) counts as one failure, so a red run can never print
// "0 failed". `dependencies` (scripts/check-dependencies.mjs) compares each package's runtime imports with its
// `dependencies`; `packages` (scripts/check-packages.mjs) packs, installs and imports every package as a user would.
// Options (used by scripts/test-matrix.mjs, which runs this once per Node version):
//   --label=<text>         the closing line becomes `<text> run: N passed, N failed` (not a count line of its own)
//   --summary-file=<path>  also write {"passed","failed","skipped","node"} as JSON there
//   --skip-static-checks   no lint, typecheck or dependency check (the matrix's second run: same sources, same answer)
//   --only=<a,b,…>         run only the jobs after the build whose key contains one of these (e.g. --only=runtime,docs),
//                          for a quick local check; a run with --only is never a full run (it says so on its last line)
// After lint and build, every other check and each package's suites run in one pool (scripts/jobPool.mjs), three jobs
// at a time (ALP_TEST_JOB_SLOTS), longest expected first.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { runJobPool } from './jobPool.mjs'

const root = join(import.meta.dirname, '..')
const option = (name) =>
  process.argv
    .slice(2)
    .find((a) => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
const label = option('label')
const summaryFile = option('summary-file')
const only = option('only')?.split(',').filter(Boolean)
// The matrix's second run (scripts/test-matrix.mjs): lint, typecheck and the dependency check read only the sources,
// so they give the same answer on every Node; they ran in the first run and are not repeated.
const STATIC_CHECKS = ['lint', 'typecheck', 'dependencies']
const skipStatic = process.argv.includes('--skip-static-checks')
if (skipStatic)
  console.log(`\n=== not repeated on this Node (static, ran in the first run): ${STATIC_CHECKS.join(', ')}`)
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
const scriptTestFiles = () =>
  readdirSync(join(root, 'scripts'))
    .filter((f) => f.endsWith('.test.mjs'))
    .map((f) => join(root, 'scripts', f))
function countScriptTests({ output, status, seconds, name }) {
  const count = (word) => Number(new RegExp(`^# ${word} (\\d+)$`, 'm').exec(output)?.[1] ?? 0)
  scriptPassed = count('pass')
  scriptFailed = count('fail')
  // A run that died without a summary, or failed without a failing test, is one failed check.
  checks.push({ name, ok: status === 0 || scriptFailed > 0, seconds })
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

// The backtest report's, the charts' and the runtime dashboard's tests open pages in Debian's Chromium (playwright-core
// drives it). Install it when it is
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
if (!skipStatic) step('lint', bin('biome'), ['ci', ...(process.env.CI ? ['--colors=off'] : []), '.'])
// turbo runs every package task with the pnpm of package.json#packageManager: started through scripts/pnpm.mjs, that
// pnpm is on PATH even when this script was started from plain npm or node.
const turbo = (args) => [process.execPath, [join(root, 'scripts', 'pnpm.mjs'), 'exec', 'turbo', ...args]]
const built = step('build', ...turbo(['run', 'build', '--output-logs=errors-only']))
if (built) {
  // Everything after the build is independent: one pool of JOB_SLOTS jobs, longest expected first (scripts/jobPool.mjs
  // says why this is not turbo). Each package's vitest suite is one job with two test files at a time: most suites wait
  // on sockets (anvil, emulators, child processes) more than they compute.
  const packageJob = (dir, script, extraArgs, resultFile) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const command = pkg.scripts?.[script]
    if (!command) return undefined
    return {
      name: `${script === 'test' ? 'vitest' : script} ${pkg.name}`,
      key: `${script} ${pkg.name}`,
      cmd: 'sh',
      args: ['-c', `PATH="$PWD/node_modules/.bin:$PATH"; ${command}${extraArgs}`],
      cwd: dir,
      resultFile: join(dir, resultFile),
    }
  }
  const node = (script) => ({ cmd: process.execPath, args: [join(root, 'scripts', script)] })
  const [turboCmd, typecheckArgs] = turbo(['run', 'typecheck', '--concurrency=1', '--output-logs=errors-only'])
  const jobs = [
    { name: 'typecheck', key: 'typecheck', cmd: turboCmd, args: typecheckArgs },
    { name: 'dependencies (runtime imports = dependencies)', key: 'dependencies', ...node('check-dependencies.mjs') },
    {
      name: 'scripts (node:test)',
      key: 'scripts',
      cmd: process.execPath,
      args: ['--test', '--test-reporter=tap', ...scriptTestFiles()],
      onDone: countScriptTests,
    },
    {
      name: 'packages (pack, npm install, ESM/CJS/Deno import, types, publint, attw)',
      key: 'packages',
      ...node('check-packages.mjs'),
    },
    { name: 'docs (every docs code block run or typechecked)', key: 'docs', ...node('check-docs.mjs') },
    ...packageDirs.map((dir) => packageJob(dir, 'test', ' --maxWorkers=2', '.vitest-result.json')),
    ...packageDirs.map((dir) => packageJob(dir, 'test:deno', '', '.deno-junit.xml')),
  ]
    .filter(Boolean)
    .filter((job) => !only || only.some((part) => job.key.includes(part)))
    .filter((job) => !skipStatic || !STATIC_CHECKS.includes(job.key))
  const results = await runJobPool(jobs, {
    slots: Number(process.env.ALP_TEST_JOB_SLOTS ?? 3),
    env: { ...env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${env.PATH}` },
    cwd: root,
    durationsFile: join(root, 'node_modules', '.cache', 'alp-test-durations.json'),
  })
  for (const [i, r] of results.entries()) {
    const job = jobs[i]
    if (job.onDone) {
      job.onDone(r)
      continue
    }
    // A test suite's failures are counted test by test from its result file (below); the job itself counts as one
    // failure only when it failed with no failing test to show for it (a crash, an unhandled error, no result file).
    const failedTests = job.resultFile && existsSync(job.resultFile) ? countFailures(job.resultFile) : 0
    checks.push({ name: r.name, ok: r.ok || failedTests > 0, seconds: r.seconds })
  }
}

function countFailures(file) {
  if (file.endsWith('.json')) {
    const r = JSON.parse(readFileSync(file, 'utf8'))
    return r.numFailedTests + (r.testResults ?? []).filter((f) => f.status === 'failed').length
  }
  return (readFileSync(file, 'utf8').match(/<failure\b/g) ?? []).length
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
const counts = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${only ? ` (only: ${only.join(',')})` : ''}`
console.log(label ? `${label} run: ${counts}` : counts)
if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped, node: process.version }))
process.exit(failed === 0 && skipped === 0 ? 0 : 1)
