import { SingleBar } from 'cli-progress'

/** Where progress goes: a TTY gets a redrawn bar, anything else (CI logs, pipes) plain lines. */
export type ProgressStream = { write(text: string): unknown; readonly isTTY?: boolean | undefined }

export type CreateProgressReporterParameters = {
  /** First word of every line, e.g. `backtest` or `sweep`. */
  label: string
  /** Expected total (`undefined`: unknown, lines show the count only). */
  total: number | undefined
  /** What is counted, plural: `events`, `jobs`. */
  unit: string
  /** Default: process.stderr (stdout stays for results). */
  stream?: ProgressStream | undefined
  /** Plain-line mode: a line at least this often, milliseconds (default 5000) … */
  intervalMs?: number | undefined
  /** … and at each step of this share of the total (default 0.1). */
  stepFraction?: number | undefined
  /** Wall clock for the plain-line cadence (CLI only: the engine never reads a clock). */
  nowMs?: (() => number) | undefined
}

export type ProgressReporter = {
  /** The count so far (monotone). `note` is shown on plain lines (e.g. the job that just finished). */
  update(done: number, note?: string): void
  /** The final count: stops the bar, or prints the closing line. */
  finish(done: number): void
}

/**
 * Progress for long CLI runs, on stderr. On a TTY: a cli-progress bar. Otherwise one plain line per `stepFraction` of
 * the total and at least one per `intervalMs`, so a CI log shows that a run is alive, e.g.
 * `backtest: 40 % (3,070/7,674 events, 12.4 s)`.
 */
export function createProgressReporter({
  label,
  total,
  unit,
  stream = process.stderr,
  intervalMs = 5_000,
  stepFraction = 0.1,
  nowMs = () => performance.now(),
}: CreateProgressReporterParameters): ProgressReporter {
  const started = nowMs()
  if (stream.isTTY === true) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage} % {value}/{total} ${unit} {note}`,
      hideCursor: true,
      stream: stream as NodeJS.WritableStream,
    })
    bar.start(total ?? 0, 0, { note: '' })
    return {
      update: (done, note) => {
        if (total === undefined || done > bar.getTotal()) bar.setTotal(done)
        bar.update(done, { note: note ?? '' })
      },
      finish: (done) => {
        bar.setTotal(done)
        bar.update(done)
        bar.stop()
      },
    }
  }
  const count = (n: number) => n.toLocaleString('en-US')
  const seconds = () => `${((nowMs() - started) / 1000).toFixed(1)} s`
  let lastLineMs = started
  let lastStep = 0
  const line = (done: number, note: string | undefined) => {
    const share =
      total !== undefined && total > 0
        ? `${Math.min(100, Math.floor((done / total) * 100))} % (${count(done)}/${count(total)} ${unit}, ${seconds()})`
        : `${count(done)} ${unit} (${seconds()})`
    stream.write(`${label}: ${share}${note ? ` ${note}` : ''}\n`)
    lastLineMs = nowMs()
  }
  return {
    update: (done, note) => {
      const step = total !== undefined && total > 0 ? Math.floor(done / (total * stepFraction)) : 0
      if (step > lastStep && done < (total ?? Number.POSITIVE_INFINITY)) {
        lastStep = step
        line(done, note)
      } else if (nowMs() - lastLineMs >= intervalMs) line(done, note)
    },
    finish: (done) => stream.write(`${label}: done, ${count(done)} ${unit} in ${seconds()}\n`),
  }
}
