import { existsSync, readFileSync, statfsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { DeploymentConfig, RoleConfig } from '../config/loadConfig.js'
import { checkKeyFormat } from './checkKeyFormat.js'
import { fetchVenueTime } from './fetchVenueTime.js'
import { readChainHead } from './readChainHead.js'

/** One finding of `alp doctor`. `fail` makes the command exit 6; `warn` does not. */
export type DoctorCheck = {
  /** `keys`, `clock-skew`, `reachability`, `rpc-chain-id`, `rpc-block-age`, `disk`, `pid-file`. */
  readonly check: string
  /** Role instance or venue it is about. */
  readonly subject: string
  readonly status: 'ok' | 'warn' | 'fail'
  readonly detail: string
  /** Numbers behind the verdict (skew, rtt, block age, free bytes…). */
  readonly data?: Readonly<Record<string, number | string>> | undefined
}

export type DoctorReport = { readonly ok: boolean; readonly checks: readonly DoctorCheck[] }

export type RunDoctorOptions = {
  /** Largest |clock skew| against a venue, ms. Default 1000 (Binance rejects beyond recvWindow). */
  readonly maxSkewMs?: number | undefined
  /** Largest age of the chain's latest block, s. Default 60. */
  readonly maxBlockAgeS?: number | undefined
  /** Least free space under each DATA_DIR, bytes. Default 512 MiB. */
  readonly minFreeBytes?: number | undefined
  /** Timeout of each network check, ms. Default 5000. */
  readonly timeoutMs?: number | undefined
  /** Wall clock, ms. Default Date.now. */
  readonly now?: (() => number) | undefined
  /** Whether a pid is alive. Default `process.kill(pid, 0)`. */
  readonly isAlive?: ((pid: number) => boolean) | undefined
}

/** The pid file of a role: `<DATA_DIR>/<PROCESS_NAME>.pid`. */
export function pidFilePath(role: RoleConfig): string {
  return join(role.dataDir, `${role.processName}.pid`)
}

/**
 * Checks a deployment before it starts: key formats, clock skew and reachability of each configured venue, the RPC's
 * chain id and latest block age, free disk under each DATA_DIR, and stale pid files. Never throws: every check is a
 * finding.
 */
export async function runDoctor(config: DeploymentConfig, options: RunDoctorOptions = {}): Promise<DoctorReport> {
  const now = options.now ?? Date.now
  const maxSkewMs = options.maxSkewMs ?? 1_000
  const maxBlockAgeS = options.maxBlockAgeS ?? 60
  const minFreeBytes = options.minFreeBytes ?? 512 * 1024 * 1024
  const timeoutMs = options.timeoutMs ?? 5_000
  const isAlive = options.isAlive ?? defaultIsAlive
  const checks: DoctorCheck[] = []

  for (const role of config.roles) {
    if (role.exchange === null) continue
    for (const [key, secret] of [
      ['API_KEY', role.apiKey],
      ['API_SECRET', role.apiSecret],
    ] as const) {
      if (secret === null) {
        if (role.role !== 'quote-server')
          checks.push({ check: 'keys', subject: role.instance, status: 'fail', detail: `${key} missing` })
        continue
      }
      const problem = checkKeyFormat(role.exchange, key, secret.reveal())
      checks.push({
        check: 'keys',
        subject: role.instance,
        status: problem === null ? 'ok' : 'fail',
        detail:
          problem === null
            ? `${key} present (${secret.reference}), format valid`
            : `${key} (${secret.reference}): ${problem}`,
      })
    }
  }
  for (const role of config.roles)
    if (role.lp)
      checks.push({
        check: 'keys',
        subject: role.instance,
        status: 'ok',
        detail: `WALLET_KEY present (${role.lp.wallet.reference})`,
      })

  // One time check per distinct venue endpoint.
  const venues = new Map<string, RoleConfig>()
  for (const role of config.roles)
    if (role.exchange !== null && role.http !== null) venues.set(`${role.exchange} ${role.http.baseUrl}`, role)
  await Promise.all(
    [...venues.values()].map(async (role) => {
      const subject = `${role.exchange} ${role.http?.baseUrl}`
      try {
        const reading = await fetchVenueTime({
          exchange: role.exchange as NonNullable<RoleConfig['exchange']>,
          baseUrl: role.http?.baseUrl as string,
          symbol: role.marketData?.symbols[0],
          timeoutMs,
          now,
        })
        const rttMs = reading.receivedMs - reading.sentMs
        const skewMs = Math.round(reading.serverMs - (reading.sentMs + reading.receivedMs) / 2)
        checks.push({
          check: 'reachability',
          subject,
          status: 'ok',
          detail: `answered in ${rttMs} ms`,
          data: { rttMs },
        })
        checks.push({
          check: 'clock-skew',
          subject,
          status: Math.abs(skewMs) <= maxSkewMs ? 'ok' : 'fail',
          detail: `venue clock ${skewMs >= 0 ? 'ahead by' : 'behind by'} ${Math.abs(skewMs)} ms (limit ${maxSkewMs} ms, ±${Math.ceil(rttMs / 2)} ms)`,
          data: { skewMs, rttMs },
        })
      } catch (error) {
        checks.push({
          check: 'reachability',
          subject,
          status: 'fail',
          detail: `no server time: ${(error as Error).message}`,
        })
      }
    }),
  )

  for (const role of config.roles) {
    if (!role.lp) continue
    const subject = `${role.instance} ${role.lp.rpcUrl}`
    try {
      const head = await readChainHead(role.lp.rpcUrl, timeoutMs)
      checks.push({
        check: 'rpc-chain-id',
        subject,
        status: head.chainId === role.lp.chainId ? 'ok' : 'fail',
        detail:
          head.chainId === role.lp.chainId
            ? `chain id ${head.chainId}`
            : `chain id ${head.chainId}, config says CHAIN_ID = ${role.lp.chainId}`,
        data: { chainId: head.chainId },
      })
      const ageS = Math.round(now() / 1000 - head.blockTimestampS)
      checks.push({
        check: 'rpc-block-age',
        subject,
        status: ageS <= maxBlockAgeS ? 'ok' : 'fail',
        detail: `latest block ${head.blockNumber} is ${ageS} s old (limit ${maxBlockAgeS} s)`,
        data: { blockNumber: head.blockNumber, ageS },
      })
    } catch (error) {
      checks.push({
        check: 'rpc-chain-id',
        subject,
        status: 'fail',
        detail: `RPC unreachable: ${(error as Error).message}`,
      })
    }
  }

  const dirs = new Set(config.roles.map((r) => r.dataDir))
  for (const dir of dirs) {
    let probe = dir
    while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe)
    const stats = statfsSync(probe)
    const freeBytes = Number(stats.bavail) * Number(stats.bsize)
    checks.push({
      check: 'disk',
      subject: dir,
      status: freeBytes >= minFreeBytes ? 'ok' : 'fail',
      detail: `${(freeBytes / 2 ** 20).toFixed(0)} MiB free (need ${(minFreeBytes / 2 ** 20).toFixed(0)} MiB for the journal)`,
      data: { freeBytes },
    })
  }

  for (const role of config.roles) {
    const file = pidFilePath(role)
    if (!existsSync(file)) {
      checks.push({ check: 'pid-file', subject: role.instance, status: 'ok', detail: 'no pid file (not running)' })
      continue
    }
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10)
    if (!Number.isInteger(pid) || pid <= 0)
      checks.push({
        check: 'pid-file',
        subject: role.instance,
        status: 'fail',
        detail: `${file} holds no pid: remove it`,
      })
    else if (isAlive(pid))
      checks.push({
        check: 'pid-file',
        subject: role.instance,
        status: 'ok',
        detail: `running as pid ${pid}`,
        data: { pid },
      })
    else
      checks.push({
        check: 'pid-file',
        subject: role.instance,
        status: 'fail',
        detail: `stale pid file ${file} (pid ${pid} is not running): remove it`,
        data: { pid },
      })
  }
  return { ok: checks.every((c) => c.status !== 'fail'), checks }
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
