import { readFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, resolve } from 'node:path'
import { InvalidConfigError } from '../errors/config.js'
import type { RunConfig } from './runConfig.js'

const REQUIRED = ['name', 'data', 'pool', 'lp', 'hedger', 'venue', 'models', 'gasUsed'] as const

/**
 * Reads a run config JSON file, checks its top-level fields, and resolves data paths against the file's folder.
 * The models are checked when the run assembles them (resolveModels).
 */
export async function loadRunConfig(path: string): Promise<RunConfig> {
  const file = basename(path)
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (cause) {
    throw new InvalidConfigError({
      file,
      field: '(file)',
      value: path,
      rule: `readable JSON: ${(cause as Error).message}`,
    })
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new InvalidConfigError({ file, field: '(root)', value: typeof parsed, rule: 'an object' })
  for (const field of REQUIRED) {
    if (!(field in parsed)) throw new InvalidConfigError({ file, field, value: 'missing', rule: 'required' })
  }
  const config = parsed as RunConfig
  const base = dirname(resolve(path))
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p))
  const gas = config.models?.gas
  return {
    ...config,
    data: { poolEvents: at(config.data.poolEvents), klines: at(config.data.klines) },
    models: { ...config.models, ...(gas?.kind === 'series' ? { gas: { ...gas, file: at(gas.file) } } : {}) },
  }
}
