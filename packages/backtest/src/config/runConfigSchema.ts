import { hedgerConfigSchema } from '@alp/hedger'
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO, TICK_SPACINGS } from '@alp/uniswap-lp'
import * as v from 'valibot'

// Every rule's message says what the field must be; the caller adds the field path and the value found.

function numberWhere(rule: string, test: (n: number) => boolean) {
  return v.pipe(v.number(`must be ${rule}`), v.check(test, `must be ${rule}`))
}
function stringWhere(rule: string, test: (s: string) => boolean) {
  return v.pipe(v.string(`must be ${rule}`), v.check(test, `must be ${rule}`))
}

const integerAtLeast = (min: number) => numberWhere(`an integer ≥ ${min}`, (n) => Number.isInteger(n) && n >= min)
const positiveFinite = numberWhere('a finite number > 0', (n) => Number.isFinite(n) && n > 0)
const nonNegativeFinite = numberWhere('a finite number ≥ 0', (n) => Number.isFinite(n) && n >= 0)
const nonEmptyString = stringWhere('a non-empty string', (s) => s.length > 0)
const rawAmount = stringWhere('a decimal integer string ≥ 0 (token base units), e.g. "2500000000"', (s) =>
  /^(0|[1-9]\d*)$/.test(s),
)
const positiveDecimal = stringWhere(
  'a decimal string > 0, e.g. "0.01"',
  (s) => /^\d+(\.\d+)?$/.test(s) && /[1-9]/.test(s),
)
const signedDecimal = stringWhere('a decimal string, e.g. "2" or "-0.5"', (s) => /^-?\d+(\.\d+)?$/.test(s))
const gwei = stringWhere('a decimal string with at most 9 decimals (gwei), e.g. "20"', (s) =>
  /^\d+(\.\d{1,9})?$/.test(s),
)

const FEE_TIERS = Object.keys(TICK_SPACINGS).map(Number)
const feePips = numberWhere(`one of ${FEE_TIERS.join(', ')} (Uniswap v3 fee tiers, hundredths of a bip)`, (n) =>
  FEE_TIERS.includes(n),
)
const sqrtPriceX96 = stringWhere(
  `a decimal integer string in [${MIN_SQRT_RATIO}, ${MAX_SQRT_RATIO}) (a Q64.96 sqrt price)`,
  (s) => /^[1-9]\d*$/.test(s) && s.length <= 49 && BigInt(s) >= MIN_SQRT_RATIO && BigInt(s) < MAX_SQRT_RATIO,
)
const tokenDecimals = numberWhere('an integer in [0, 36]', (n) => Number.isInteger(n) && n >= 0 && n <= 36)

const kind = <const T extends string>(value: T) => v.literal(value)
const variantMessage = (choices: readonly string[]) =>
  `must be ${choices.map((c) => `"${c}"`).join(' or ')} (https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#models)`

/** The realism models: each one is required (no defaults), and each `kind` is one of the documented ones. */
const modelsSchema = v.object({
  fill: v.variant(
    'kind',
    [v.object({ kind: kind('touch') }), v.object({ kind: kind('tradeThrough') })],
    variantMessage(['touch', 'tradeThrough']),
  ),
  exchange: v.variant(
    'kind',
    [
      v.object({ kind: kind('noPartialFill') }),
      v.object({
        kind: kind('partialFill'),
        participation: numberWhere('a share of the bar volume in (0, 1]', (n) => n > 0 && n <= 1),
      }),
    ],
    variantMessage(['noPartialFill', 'partialFill']),
  ),
  fee: v.variant(
    'kind',
    [v.object({ kind: kind('makerTaker'), makerFeeBps: signedDecimal, takerFeeBps: signedDecimal })],
    variantMessage(['makerTaker']),
  ),
  latency: v.variant(
    'kind',
    [v.object({ kind: kind('constant'), entryMs: nonNegativeFinite, responseMs: nonNegativeFinite })],
    variantMessage(['constant']),
  ),
  gas: v.variant(
    'kind',
    [
      v.object({ kind: kind('constant'), gasPriceGwei: gwei }),
      v.object({ kind: kind('series'), file: nonEmptyString }),
    ],
    variantMessage(['constant', 'series']),
  ),
})

/**
 * The whole run config (docs/backtest.md#config) as one valibot schema; `hedger` is `@alp/hedger`'s own schema.
 * Cross-field rules (the seed fee tier against the pool, the venue against the hedger's venues) and unknown keys are
 * checked by {@link parseRunConfig}, which reports every problem at once.
 */
export const runConfigSchema = v.object({
  name: nonEmptyString,
  data: v.object({ poolEvents: nonEmptyString, klines: nonEmptyString }),
  pool: v.object({
    feePips,
    tickSpacing: integerAtLeast(1),
    initialSqrtPriceX96: sqrtPriceX96,
    decimals0: tokenDecimals,
    decimals1: tokenDecimals,
    baseToken: v.picklist(
      ['token0', 'token1'],
      'must be "token0" or "token1" (the volatile token whose price is quoted)',
    ),
  }),
  lp: v.object({
    seed: v.object({
      BASE_SPREAD: positiveFinite,
      REBALANCE_THRESHOLD: numberWhere('a share of value in (0, 1]', (n) => n > 0 && n <= 1),
      FEE_TIER: numberWhere(
        `a fee fraction of a v3 tier (${FEE_TIERS.map((p) => p / 1_000_000).join(', ')})`,
        (n) => Number.isFinite(n) && FEE_TIERS.includes(Math.round(n * 1_000_000)),
      ),
      MODEL_TYPE: v.picklist(['GLFT', 'AS'], 'must be "GLFT" or "AS"'),
    }),
    minIntervalMs: integerAtLeast(0),
    initialAmount0Raw: rawAmount,
    initialAmount1Raw: rawAmount,
    model: v.object({
      gammaPerPrice: positiveFinite,
      sigmaPerSqrtSec: positiveFinite,
      kPerPrice: positiveFinite,
      horizonSec: positiveFinite,
    }),
    warmUpMinutes: integerAtLeast(0),
    rangeWidthFromVolatility: v.optional(v.boolean('must be true or false')),
    targetBaseShare: v.optional(numberWhere('a share of value in [0, 1]', (n) => n >= 0 && n <= 1)),
  }),
  hedger: hedgerConfigSchema,
  venue: v.object({ name: nonEmptyString, tickSize: positiveDecimal, stepSize: positiveDecimal }),
  models: modelsSchema,
  gasUsed: v.object({ mint: integerAtLeast(1), burn: integerAtLeast(1), collect: integerAtLeast(1) }),
})
