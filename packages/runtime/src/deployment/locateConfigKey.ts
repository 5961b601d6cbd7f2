import { existsSync, readFileSync } from 'node:fs'
import type { RoleConfig } from '../config/loadConfig.js'
import { parseIni } from '../config/parseIni.js'
import type { ConfigIssue } from '../errors/config.js'

/** Where a key of a role's section is written (file, section as written, line), for an issue found after loading. */
export function locateConfigKey(role: RoleConfig, sub: string, key: string): Omit<ConfigIssue, 'key' | 'message'> {
  // The file was read when the config was loaded; if it is gone since, the issue still names file, section and key.
  const sections = existsSync(role.file) ? parseIni(readFileSync(role.file, 'utf8')).sections : []
  const section =
    sections.find((s) => s.name === `${role.instance}.${sub}`) ??
    sections.find((s) => s.name === sub && sections.some((g) => g.name === 'GLOBAL'))
  return {
    file: role.file,
    section: section?.name ?? `${role.instance}.${sub}`,
    line: section?.entries.find((e) => e.key === key)?.line ?? section?.line ?? null,
  }
}
