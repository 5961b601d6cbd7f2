#!/usr/bin/env node
// Runs the pnpm version pinned in package.json#packageManager, on a machine that only has Node and npm.
// Uses a pnpm already on PATH when it is exactly that version; otherwise `npx --yes pnpm@<version>` (npm fetches it
// once into its cache). Written by hand because corepack cannot verify signatures against this registry.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const match = /^pnpm@(\d+\.\d+\.\d+)$/.exec(packageManager ?? '')
if (!match) {
  console.error(`package.json#packageManager must be "pnpm@x.y.z", got ${JSON.stringify(packageManager)}`)
  process.exit(2)
}
const version = match[1]
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', COREPACK_ENABLE_STRICT: '0' }
// Native addons (better-sqlite3) are compiled by node-gyp at install: point it at the running Node's own headers, so it
// never downloads them (only the npm registry is reachable). Kept when the caller or npm's config already sets it.
const nodePrefix = dirname(dirname(process.execPath))
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, 'include', 'node', 'node.h')))
  env.npm_config_nodedir = nodePrefix
const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env })
const args = process.argv.slice(2)
const [cmd, cmdArgs] =
  onPath.status === 0 && onPath.stdout.trim() === version
    ? ['pnpm', args]
    : ['npx', ['--yes', `pnpm@${version}`, ...args]]
const run = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env, cwd: process.cwd() })
if (run.error) {
  console.error(`could not start ${cmd}: ${run.error.message}`)
  process.exit(2)
}
process.exit(run.status ?? 1)
