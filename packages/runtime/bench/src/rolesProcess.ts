import { type ChildProcess, spawn } from 'node:child_process'

export type RolesMessage =
  | { type: 'ready'; part: string }
  | { type: 't0'; i: number; atNs: string }
  | { type: 'call'; method: string; atNs: string }
  | { type: 'error'; part: string; message: string }
  | { type: 'roleError'; part: string; message: string }
  | { type: 'stepped'; atNs: string }
  | { type: 'received'; atNs: string }
  | { type: 'stamps'; stamps: RolesMessage[] }
  | { type: 'stopped' }
  | { type: 'state'; i: number; midTicks: number; status: string; orders: string[]; lastCommands: string[] }

export type RolesProcess = {
  readonly part: string
  readonly child: ChildProcess
  send(message: unknown): void
  on(listener: (message: RolesMessage) => void): void
  /** Stops the roles (the child closes its bus and journal, then exits); SIGKILL after 10 s. */
  stop(): Promise<void>
}

/**
 * Starts one process of the tick-to-order bench (the bundled bench/src/tickToOrderRoles.ts) with an IPC channel and
 * resolves once its roles are up. Any error the child reports is rethrown to the bench through `onError`.
 */
export function startRolesProcess(
  script: string,
  part: string,
  env: Record<string, string>,
  onError: (error: Error) => void,
): Promise<RolesProcess> {
  // Diagnosis (not part of `pnpm bench`): ALP_T2O_CPU_PROF=<dir> writes a V8 CPU profile of each roles process there
  // when it stops (`<part>.<start ms>.cpuprofile`; open it in Chrome DevTools or summarise it with bench/src/cpuProfileTop.ts).
  const profileDir = process.env.ALP_T2O_CPU_PROF
  const profile =
    profileDir === undefined || profileDir === ''
      ? []
      : [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDir}`,
          `--cpu-prof-name=${part}.${Date.now()}.cpuprofile`,
          `--cpu-prof-interval=${process.env.ALP_T2O_CPU_PROF_INTERVAL_US ?? 100}`,
        ]
  const child = spawn(process.execPath, [...profile, script], {
    env: { ...process.env, ...env, ALP_T2O_PART: part },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const listeners: ((message: RolesMessage) => void)[] = []
  child.on('message', (message: RolesMessage) => {
    if (message.type === 'error') onError(new Error(`${message.part}: ${message.message}`))
    // The stamps the process kept (sent on request): to the listeners one by one, then the batch itself.
    if (message.type === 'stamps') for (const stamp of message.stamps) for (const listener of listeners) listener(stamp)
    for (const listener of listeners) listener(message)
  })
  const handle: RolesProcess = {
    part,
    child,
    send: (message) => child.send(message as never),
    on: (listener) => listeners.push(listener),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('exit', () => {
          clearTimeout(kill)
          resolve()
        })
        if (child.connected) child.send({ type: 'stop' })
        else child.kill('SIGTERM')
      }),
  }
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${part} process exited with ${code} before it was ready`))
    child.once('exit', onExit)
    child.once('error', reject)
    listeners.push((message) => {
      if (message.type === 'ready') {
        child.off('exit', onExit)
        resolve(handle)
      } else if (message.type === 'error') reject(new Error(`${part}: ${message.message}`))
    })
  })
}
