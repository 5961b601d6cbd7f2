import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { HedgerConfigInput } from '@alp/hedger'
import * as v from 'valibot'
import { ConfigInvalidError, type ConfigIssue } from '../errors/config.js'
import { LINK_NAMES, type LinkName } from '../transport/portMap.js'
import { didYouMean } from './didYouMean.js'
import { buildHedgerConfig, findHedgerSection, HEDGER_SECTIONS } from './hedgerSections.js'
import {
  EXCHANGES,
  type ExchangeName,
  type KeySpec,
  type LogLevel,
  ROLE_KINDS,
  type RoleKind,
  SECTIONS_BY_ROLE,
  toScreamingSnake,
  VENUE_ROLES,
} from './keys.js'
import { type IniSection, parseIni } from './parseIni.js'
import { resolveSecretRef } from './resolveSecretRef.js'
import { Secret } from './Secret.js'
import { WalletKeyRef } from './WalletKeyRef.js'

/** One role instance of the deployment, validated, with defaults and resolved secrets. */
export type RoleConfig = {
  /** The file it was read from. */
  readonly file: string
  /** `trader`, `lp-manager`, `binance.trading-engine`, … (the section prefix; in a one-role file, `<EXCHANGE_NAME>.<ROLE>`). */
  readonly instance: string
  readonly role: RoleKind
  readonly processName: string
  readonly logLevel: LogLevel
  /** Absolute: the journal and the pid file live here. */
  readonly dataDir: string
  readonly metrics: { readonly host: string; readonly port: number }
  /** The control server (`CONTROL_HOST` / `CONTROL_PORT`; port 0 = a free one). */
  readonly control: { readonly host: string; readonly port: number }
  /** Webhook alerts (`ALERT_*` of [GLOBAL]); `webhookUrl` null = none. */
  readonly alerts: {
    readonly webhookUrl: Secret | null
    readonly format: 'generic' | 'slack' | 'telegram'
    readonly telegramChatId: string | null
    readonly downAfterMs: number
    readonly lossUsd: number
    readonly dedupMs: number
    readonly maxPerMinute: number
  }
  /** `PNL_SNAPSHOT_MS`: the trader journals a PnL snapshot this often (and at stop). */
  readonly pnlSnapshotMs: number
  /** `TRANSPORT`: the bus between the roles (`auto`: inproc when every role runs in the process, else zmq). */
  readonly transport: 'auto' | 'inproc' | 'zmq'
  readonly exchange: ExchangeName | null
  readonly assetType: string
  readonly apiKey: Secret | null
  readonly apiSecret: Secret | null
  /** `[PUBLISHERS]` / `[SUBSCRIBERS]` overrides of the port map, by link name. */
  readonly publishers: Partial<Record<LinkName, string>>
  readonly subscribers: Partial<Record<LinkName, string>>
  readonly http: { readonly baseUrl: string; readonly timeoutMs: number } | null
  readonly websocket: {
    readonly publicUrl: string | null
    readonly privateUrl: string | null
    readonly enablePrivate: boolean
    readonly privateChannels: readonly string[]
  } | null
  readonly marketData: {
    readonly symbols: readonly string[]
    readonly collectTicker: boolean
    readonly collectOrderbook: boolean
  } | null
  readonly lp: {
    readonly rpcUrl: string
    readonly chainId: number
    readonly poolAddress: string
    readonly positionManagerAddress: string
    readonly wallet: WalletKeyRef
    readonly baseSpread: number
    readonly rebalanceThreshold: number
    /** FEE_TIER as a fraction (0.0005) and in Uniswap pips (500). */
    readonly feeTier: number
    readonly feePips: number
    readonly modelType: 'GLFT' | 'AS'
    readonly confirmations: number
    readonly maxFeePerGasGwei: number
    /** The hedged pool token (BASE_TOKEN); null when not set (the LP manager is then passed from code). */
    readonly baseToken: string | null
    readonly targetBaseShare: number
    readonly swapRouterAddress: string | null
    readonly quoterV2Address: string | null
    /** null: the canonical Multicall3 when it has code; 'none': one eth_call per read. */
    readonly multicall3Address: string | null
    readonly slippageBps: number
    readonly deadlineSec: number
    readonly twapWindowSec: number
    readonly twapMaxDeviationTicks: number
    readonly gasLimitPaddingBps: number
    readonly receiptTimeoutMs: number
    readonly receiptPollIntervalMs: number
    readonly replaceAfterMs: number
    readonly maxFeeWaitMs: number
    readonly minGainToGasRatio: number
    readonly minRebalanceIntervalMs: number
    /** Gas units the gas-vs-gain check prices each operation at (`GAS_UNITS_MINT` / `_BURN` / `_COLLECT`). */
    readonly gasUnits: { readonly mint: number; readonly burn: number; readonly collect: number }
    readonly stepIntervalMs: number
    readonly rpcTimeoutMs: number
    readonly maxBlockRange: number
    /** Absolute (default `<DATA_DIR>/rebalance-plan.json`). */
    readonly planStorePath: string
    /** Absolute (default `<DATA_DIR>/lp-manager-checkpoint.json`). */
    readonly checkpointPath: string
    readonly observeOnly: boolean
  } | null
  /** `[GRVT]` of a GRVT venue role (null for any other role). */
  readonly grvt: {
    readonly subAccountId: string | null
    readonly chainId: number | null
    readonly edgeUrl: string | null
    readonly tradesUrl: string | null
  } | null
  /** The trader's hedger config (input form, already validated by `hedgerConfigSchema`): pass it to `createHedger`. */
  readonly hedger: HedgerConfigInput | null
}

/** Every role of the config files. */
export type DeploymentConfig = {
  readonly roles: readonly RoleConfig[]
  /** Every resolved secret value's holder (for the log-leak checks of the observability layer). */
  readonly secrets: readonly (Secret | WalletKeyRef)[]
}

export type LoadConfigOptions = {
  /** Environment for `env:` references and ALP_KEYSTORE_PASSWORD. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined
}

export type CheckConfigResult = { readonly config: DeploymentConfig | null; readonly issues: readonly ConfigIssue[] }

/** The role sections a file may hold when it configures one role (the trader adds `HEDGER.*`). */
const BASE_SECTIONS = new Set([
  'GLOBAL',
  'PUBLISHERS',
  'SUBSCRIBERS',
  'HTTP_API',
  'WEBSOCKET',
  'MARKET_DATA',
  'LP',
  'GRVT',
])

type Instance = {
  file: string
  baseDir: string
  instance: string
  role: RoleKind | null
  exchangeHint: ExchangeName | null
  /** section name without the instance prefix → the section as written. */
  sections: Map<string, IniSection>
}

/**
 * Reads, validates and resolves INI config files (one per role, or one with a section per role; see
 * docs/deployment.md#config-reference). Never throws: every problem of every file is in `issues`, and `config` is
 * null when there is at least one.
 */
export function checkConfigFiles(files: readonly string[], options: LoadConfigOptions = {}): CheckConfigResult {
  const issues: ConfigIssue[] = []
  const instances: Instance[] = []
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      issues.push({
        file,
        section: null,
        key: null,
        line: null,
        message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      })
      continue
    }
    const doc = parseIni(text)
    for (const p of doc.problems)
      issues.push({ file, section: p.section, key: p.key, line: p.line, message: p.message })
    if (doc.sections.length === 0) {
      issues.push({
        file,
        section: null,
        key: null,
        line: null,
        message: 'has no sections (expected [GLOBAL] or [<role>] sections)',
      })
      continue
    }
    instances.push(...splitInstances(file, doc.sections, issues))
  }
  const roles: RoleConfig[] = []
  const secrets: (Secret | WalletKeyRef)[] = []
  for (const instance of instances) {
    const role = validateInstance(instance, options, issues, secrets)
    if (role) roles.push(role)
  }
  const seen = new Map<string, RoleConfig>()
  for (const role of roles) {
    const first = seen.get(role.processName)
    if (first) {
      const global = instances.find((i) => i.file === role.file && i.instance === role.instance)?.sections.get('GLOBAL')
      issues.push({
        file: role.file,
        section: global?.name ?? null,
        key: 'PROCESS_NAME',
        line: global?.entries.find((e) => e.key === 'PROCESS_NAME')?.line ?? null,
        message: `PROCESS_NAME ${role.processName} is already used by ${first.instance} in ${first.file}`,
      })
    } else seen.set(role.processName, role)
  }
  return issues.length === 0 ? { config: { roles, secrets }, issues } : { config: null, issues }
}

export type LoadConfigFilesErrorType = ConfigInvalidError

/**
 * {@link checkConfigFiles}, throwing when there is any problem.
 * @throws ConfigInvalidError with every issue (file, section, key, line).
 */
export function loadConfigFiles(files: readonly string[], options: LoadConfigOptions = {}): DeploymentConfig {
  const result = checkConfigFiles(files, options)
  if (result.config === null) throw new ConfigInvalidError({ issues: result.issues })
  return result.config
}

function parseInstanceName(
  name: string,
): { instance: string; role: RoleKind; exchange: ExchangeName | null; sub: string } | null {
  const parts = name.split('.')
  const [first = '', second = ''] = parts
  if (first === 'lp-manager' || first === 'trader')
    return { instance: first, role: first, exchange: null, sub: parts.slice(1).join('.') || 'GLOBAL' }
  if ((VENUE_ROLES as readonly string[]).includes(second))
    return {
      instance: `${first}.${second}`,
      role: second as RoleKind,
      exchange: (EXCHANGES as readonly string[]).includes(first) ? (first as ExchangeName) : null,
      sub: parts.slice(2).join('.') || 'GLOBAL',
    }
  return null
}

function isOneRoleFile(sections: readonly IniSection[]): boolean {
  return sections.some((s) => BASE_SECTIONS.has(s.name) || s.name === 'HEDGER' || s.name.startsWith('HEDGER.'))
}

function splitInstances(file: string, sections: readonly IniSection[], issues: ConfigIssue[]): Instance[] {
  const baseDir = dirname(resolve(file))
  if (isOneRoleFile(sections)) {
    const map = new Map(sections.map((s) => [s.name, s]))
    const global = map.get('GLOBAL')
    const roleEntry = global?.entries.find((e) => e.key === 'ROLE')
    const role =
      roleEntry && (ROLE_KINDS as readonly string[]).includes(roleEntry.value) ? (roleEntry.value as RoleKind) : null
    if (!global)
      issues.push({
        file,
        section: 'GLOBAL',
        key: null,
        line: null,
        message: 'section missing (a file for one role needs [GLOBAL] with ROLE and PROCESS_NAME)',
      })
    else if (!roleEntry)
      issues.push({
        file,
        section: 'GLOBAL',
        key: 'ROLE',
        line: global.line,
        message: `required in a file for one role (one of ${ROLE_KINDS.join(', ')})`,
      })
    const exchange = global?.entries.find((e) => e.key === 'EXCHANGE_NAME')?.value
    const instance =
      role && (VENUE_ROLES as readonly string[]).includes(role) ? `${exchange ?? '?'}.${role}` : (role ?? '?')
    return [{ file, baseDir, instance, role, exchangeHint: null, sections: map }]
  }
  const byInstance = new Map<string, Instance>()
  for (const section of sections) {
    const parsed = parseInstanceName(section.name)
    if (!parsed) {
      const hint = didYouMean(section.name, [
        ...BASE_SECTIONS,
        'trader',
        'lp-manager',
        ...EXCHANGES.flatMap((x) => VENUE_ROLES.map((r) => `${x}.${r}`)),
      ])
      issues.push({
        file,
        section: section.name,
        key: null,
        line: section.line,
        message: `unknown section${hint ? ` (did you mean [${hint}]?)` : ''}: name role sections [trader], [lp-manager], [<exchange>.<quote-server|trading-engine|position-server>] and their parts [<role>.HTTP_API], …`,
      })
      continue
    }
    let instance = byInstance.get(parsed.instance)
    if (!instance) {
      instance = {
        file,
        baseDir,
        instance: parsed.instance,
        role: parsed.role,
        exchangeHint: parsed.exchange,
        sections: new Map(),
      }
      byInstance.set(parsed.instance, instance)
    }
    if (instance.sections.has(parsed.sub)) {
      issues.push({
        file,
        section: section.name,
        key: null,
        line: section.line,
        message: `the same section as [${instance.sections.get(parsed.sub)?.name}] (line ${instance.sections.get(parsed.sub)?.line})`,
      })
      continue
    }
    instance.sections.set(parsed.sub, section)
  }
  return [...byInstance.values()]
}

type Values = Map<string, Map<string, unknown>>

function validateInstance(
  instance: Instance,
  options: LoadConfigOptions,
  issues: ConfigIssue[],
  secrets: (Secret | WalletKeyRef)[],
): RoleConfig | null {
  const { file, role } = instance
  if (role === null) return null
  const before = issues.length
  const allowed = SECTIONS_BY_ROLE[role]
  const values: Values = new Map()
  const hedgerSections: IniSection[] = []
  const push = (section: IniSection, key: string | null, line: number | null, message: string) =>
    issues.push({ file, section: section.name, key, line, message })
  for (const [sub, section] of instance.sections) {
    if (role === 'trader' && findHedgerSection(sub)) {
      const spec = findHedgerSection(sub)?.spec
      for (const entry of section.entries)
        if (!spec?.keys.has(entry.key)) {
          const hint = didYouMean(entry.key, spec?.keys.keys() ?? [])
          push(section, entry.key, entry.line, `unknown key${hint ? ` (did you mean ${hint}?)` : ''}`)
        }
      hedgerSections.push({ ...section, name: sub })
      continue
    }
    const keys = allowed[sub]
    if (!keys) {
      const candidates = [
        ...Object.keys(allowed),
        ...(role === 'trader' ? [...HEDGER_SECTIONS.keys(), 'HEDGER.VENUE.<venue id>'] : []),
      ]
      const hint = didYouMean(sub, candidates)
      push(
        section,
        null,
        section.line,
        `unknown section for a ${role}${hint ? ` (did you mean [${hint}]?)` : ''}; allowed: ${candidates.join(', ')}`,
      )
      continue
    }
    const out = new Map<string, unknown>()
    values.set(sub, out)
    for (const entry of section.entries) {
      const spec: KeySpec | undefined = keys[entry.key]
      if (!spec) {
        const hint = didYouMean(entry.key, Object.keys(keys))
        push(section, entry.key, entry.line, `unknown key${hint ? ` (did you mean ${hint}?)` : ''}`)
        continue
      }
      if (spec.secret) {
        const resolved = resolveSecretRef(entry.value, spec.secret, { env: options.env, baseDir: instance.baseDir })
        if ('error' in resolved) push(section, entry.key, entry.line, resolved.error)
        else {
          out.set(entry.key, resolved.secret)
          secrets.push(resolved.secret)
        }
        continue
      }
      const result = v.safeParse(spec.schema, entry.value)
      if (result.success) out.set(entry.key, result.output)
      else
        push(
          section,
          entry.key,
          entry.line,
          `${result.issues.map((i) => i.message).join('; ')} (got ${JSON.stringify(entry.value.slice(0, 80))})`,
        )
    }
  }
  // Required keys, per role.
  for (const [sub, keys] of Object.entries(allowed))
    for (const [key, spec] of Object.entries(keys)) {
      if (!spec.requiredFor?.includes(role)) continue
      if (key === 'EXCHANGE_NAME' && instance.exchangeHint !== null) continue
      const section = instance.sections.get(sub)
      if (section?.entries.some((e) => e.key === key)) continue
      issues.push({
        file,
        section: section?.name ?? sectionLabel(instance, sub),
        key,
        line: section?.line ?? null,
        message: `required for a ${role}${section ? '' : ` (section [${sectionLabel(instance, sub)}] is missing)`}`,
      })
    }
  const global = values.get('GLOBAL') ?? new Map<string, unknown>()
  const globalSection = instance.sections.get('GLOBAL')
  const writtenRole = global.get('ROLE')
  if (writtenRole !== undefined && writtenRole !== role && globalSection)
    issues.push({
      file,
      section: globalSection.name,
      key: 'ROLE',
      line: globalSection.entries.find((e) => e.key === 'ROLE')?.line ?? null,
      message: `says ${String(writtenRole)} but the section is for a ${role}`,
    })
  const writtenExchange = global.get('EXCHANGE_NAME') as ExchangeName | undefined
  if (
    writtenExchange !== undefined &&
    instance.exchangeHint !== null &&
    writtenExchange !== instance.exchangeHint &&
    globalSection
  )
    issues.push({
      file,
      section: globalSection.name,
      key: 'EXCHANGE_NAME',
      line: globalSection.entries.find((e) => e.key === 'EXCHANGE_NAME')?.line ?? null,
      message: `says ${writtenExchange} but the section is for ${instance.exchangeHint}`,
    })
  const grvtSection = instance.sections.get('GRVT')
  const venueExchange = (global.get('EXCHANGE_NAME') as ExchangeName | undefined) ?? instance.exchangeHint
  if (grvtSection && venueExchange !== null && venueExchange !== 'grvt')
    push(grvtSection, null, grvtSection.line, `is for GRVT roles only (this role's exchange is ${venueExchange})`)
  const lpSection = instance.sections.get('LP')
  if (role === 'lp-manager' && lpSection) {
    const lpValue = (key: string): number => (values.get('LP')?.get(key) ?? allowed.LP?.[key]?.default) as number
    if (lpValue('REPLACE_AFTER_MS') >= lpValue('RECEIPT_TIMEOUT_MS'))
      push(
        lpSection,
        'REPLACE_AFTER_MS',
        lpSection.entries.find((e) => e.key === 'REPLACE_AFTER_MS')?.line ?? lpSection.line,
        `must be below RECEIPT_TIMEOUT_MS (${lpValue('RECEIPT_TIMEOUT_MS')}): a transaction is replaced before its receipt wait ends`,
      )
  }
  let hedger: HedgerConfigInput | null = null
  if (role === 'trader') {
    const built = buildHedgerConfig(hedgerSections)
    for (const p of built.problems) {
      const written = instance.sections.get(p.section)?.name ?? sectionLabel(instance, p.section)
      issues.push({ file, section: written, key: p.key, line: p.line, message: p.message })
    }
    hedger = built.input
  }
  if (issues.length > before) return null
  const get = <T>(sub: string, key: string): T => {
    const value = values.get(sub)?.get(key)
    if (value !== undefined) return value as T
    return allowed[sub]?.[key]?.default as T
  }
  const links = (sub: string): Partial<Record<LinkName, string>> => {
    const out: Partial<Record<LinkName, string>> = {}
    for (const link of LINK_NAMES) {
      const value = values.get(sub)?.get(toScreamingSnake(link))
      if (typeof value === 'string') out[link] = value
    }
    return out
  }
  const isVenue = (VENUE_ROLES as readonly string[]).includes(role)
  const exchange = isVenue ? ((writtenExchange ?? instance.exchangeHint) as ExchangeName) : null
  const feeTier = get<number>('LP', 'FEE_TIER')
  const dataDir = resolve(instance.baseDir, get<string>('GLOBAL', 'DATA_DIR'))
  const lpPath = (key: string, fallback: string): string => {
    const written = get<string | undefined>('LP', key)
    return written === undefined ? resolve(dataDir, fallback) : resolve(instance.baseDir, written)
  }
  return {
    file,
    instance:
      isVenue && !instance.instance.includes('.')
        ? `${exchange}.${role}`
        : instance.instance.replace('?', exchange ?? '?'),
    role,
    processName: get<string>('GLOBAL', 'PROCESS_NAME'),
    logLevel: get<LogLevel>('GLOBAL', 'LOG_LEVEL'),
    dataDir,
    metrics: { host: get<string>('GLOBAL', 'METRICS_HOST'), port: get<number>('GLOBAL', 'METRICS_PORT') },
    control: { host: get<string>('GLOBAL', 'CONTROL_HOST'), port: get<number>('GLOBAL', 'CONTROL_PORT') },
    transport: get<'auto' | 'inproc' | 'zmq'>('GLOBAL', 'TRANSPORT'),
    pnlSnapshotMs: get<number>('GLOBAL', 'PNL_SNAPSHOT_MS'),
    alerts: {
      webhookUrl: (values.get('GLOBAL')?.get('ALERT_WEBHOOK_URL') as Secret | undefined) ?? null,
      format: get<'generic' | 'slack' | 'telegram'>('GLOBAL', 'ALERT_FORMAT'),
      telegramChatId: get<string | undefined>('GLOBAL', 'ALERT_TELEGRAM_CHAT_ID') ?? null,
      downAfterMs: get<number>('GLOBAL', 'ALERT_DOWN_AFTER_MS'),
      lossUsd: get<number>('GLOBAL', 'ALERT_LOSS_USD'),
      dedupMs: get<number>('GLOBAL', 'ALERT_DEDUP_MS'),
      maxPerMinute: get<number>('GLOBAL', 'ALERT_MAX_PER_MINUTE'),
    },
    exchange,
    assetType: get<string>('GLOBAL', 'ASSET_TYPE'),
    apiKey: (values.get('GLOBAL')?.get('API_KEY') as Secret | undefined) ?? null,
    apiSecret: (values.get('GLOBAL')?.get('API_SECRET') as Secret | undefined) ?? null,
    publishers: links('PUBLISHERS'),
    subscribers: links('SUBSCRIBERS'),
    http: isVenue
      ? { baseUrl: get<string>('HTTP_API', 'HTTP_BASE_URL'), timeoutMs: get<number>('HTTP_API', 'HTTP_TIMEOUT_MS') }
      : null,
    websocket: isVenue
      ? {
          publicUrl: get<string | undefined>('WEBSOCKET', 'WS_PUBLIC_URL') ?? null,
          privateUrl: get<string | undefined>('WEBSOCKET', 'WS_PRIVATE_URL') ?? null,
          enablePrivate: get<boolean>('WEBSOCKET', 'ENABLE_PRIVATE_WEBSOCKET'),
          privateChannels: get<string[]>('WEBSOCKET', 'PRIVATE_CHANNELS'),
        }
      : null,
    marketData: isVenue
      ? {
          symbols: get<string[]>('MARKET_DATA', 'SYMBOLS'),
          collectTicker: get<boolean>('MARKET_DATA', 'COLLECT_TICKER'),
          collectOrderbook: get<boolean>('MARKET_DATA', 'COLLECT_ORDERBOOK'),
        }
      : null,
    lp:
      role === 'lp-manager'
        ? {
            rpcUrl: get<string>('LP', 'RPC_URL'),
            chainId: get<number>('LP', 'CHAIN_ID'),
            poolAddress: get<string>('LP', 'POOL_ADDRESS'),
            positionManagerAddress: get<string>('LP', 'POSITION_MANAGER_ADDRESS'),
            wallet: get<WalletKeyRef>('LP', 'WALLET_KEY'),
            baseSpread: get<number>('LP', 'BASE_SPREAD'),
            rebalanceThreshold: get<number>('LP', 'REBALANCE_THRESHOLD'),
            feeTier,
            feePips: Math.round(feeTier * 1_000_000),
            modelType: get<'GLFT' | 'AS'>('LP', 'MODEL_TYPE'),
            confirmations: get<number>('LP', 'CONFIRMATIONS'),
            maxFeePerGasGwei: get<number>('LP', 'MAX_FEE_PER_GAS_GWEI'),
            baseToken: get<string | undefined>('LP', 'BASE_TOKEN') ?? null,
            targetBaseShare: get<number>('LP', 'TARGET_BASE_SHARE'),
            swapRouterAddress: get<string | undefined>('LP', 'SWAP_ROUTER_ADDRESS') ?? null,
            quoterV2Address: get<string | undefined>('LP', 'QUOTER_V2_ADDRESS') ?? null,
            multicall3Address: get<string | undefined>('LP', 'MULTICALL3_ADDRESS') ?? null,
            slippageBps: get<number>('LP', 'SLIPPAGE_BPS'),
            deadlineSec: get<number>('LP', 'DEADLINE_SEC'),
            twapWindowSec: get<number>('LP', 'TWAP_WINDOW_SEC'),
            twapMaxDeviationTicks: get<number>('LP', 'TWAP_MAX_DEVIATION_TICKS'),
            gasLimitPaddingBps: get<number>('LP', 'GAS_LIMIT_PADDING_BPS'),
            receiptTimeoutMs: get<number>('LP', 'RECEIPT_TIMEOUT_MS'),
            receiptPollIntervalMs: get<number>('LP', 'RECEIPT_POLL_INTERVAL_MS'),
            replaceAfterMs: get<number>('LP', 'REPLACE_AFTER_MS'),
            maxFeeWaitMs: get<number>('LP', 'MAX_FEE_WAIT_MS'),
            minGainToGasRatio: get<number>('LP', 'MIN_GAIN_TO_GAS_RATIO'),
            minRebalanceIntervalMs: get<number>('LP', 'MIN_REBALANCE_INTERVAL_MS'),
            gasUnits: {
              mint: get<number>('LP', 'GAS_UNITS_MINT'),
              burn: get<number>('LP', 'GAS_UNITS_BURN'),
              collect: get<number>('LP', 'GAS_UNITS_COLLECT'),
            },
            stepIntervalMs: get<number>('LP', 'STEP_INTERVAL_MS'),
            rpcTimeoutMs: get<number>('LP', 'RPC_TIMEOUT_MS'),
            maxBlockRange: get<number>('LP', 'MAX_BLOCK_RANGE'),
            planStorePath: lpPath('PLAN_STORE_PATH', 'rebalance-plan.json'),
            checkpointPath: lpPath('CHECKPOINT_PATH', 'lp-manager-checkpoint.json'),
            observeOnly: get<boolean>('LP', 'OBSERVE_ONLY'),
          }
        : null,
    grvt:
      isVenue && exchange === 'grvt'
        ? {
            subAccountId: get<string | undefined>('GRVT', 'SUB_ACCOUNT_ID') ?? null,
            chainId: get<number | undefined>('GRVT', 'CHAIN_ID') ?? null,
            edgeUrl: get<string | undefined>('GRVT', 'EDGE_URL') ?? null,
            tradesUrl: get<string | undefined>('GRVT', 'TRADES_URL') ?? null,
          }
        : null,
    hedger,
  }
}

function sectionLabel(instance: Instance, sub: string): string {
  const oneRole = instance.sections.has('GLOBAL') && instance.sections.get('GLOBAL')?.name === 'GLOBAL'
  return oneRole || instance.sections.size === 0 ? sub : `${instance.instance}.${sub}`
}

export { Secret, WalletKeyRef }
