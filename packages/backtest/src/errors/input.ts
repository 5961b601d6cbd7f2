import { BacktestError } from './base.js'

/** A data file lacks a column the reader needs. */
export type CsvColumnMissingErrorType = CsvColumnMissingError & { name: 'CsvColumnMissingError' }

export class CsvColumnMissingError extends BacktestError {
  override name = 'CsvColumnMissingError' as const
  readonly file: string
  readonly field: string

  constructor({ file, field, header }: { file: string; field: string; header: readonly string[] }) {
    super(`Column '${field}' is missing in ${file}.`, {
      code: 'CSV_COLUMN_MISSING',
      metaMessages: [
        `file: ${file}`,
        'row: 1 (header)',
        `field: ${field}`,
        `header: ${header.join(',')}`,
        'Next: export the file with the documented columns (https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#data-formats).',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#data-formats',
    })
    this.file = file
    this.field = field
  }
}

/** A field does not parse, or breaks a rule (a price of zero, a negative size …). `row` is 1-based and counts the header. */
export type InvalidFieldErrorType = InvalidFieldError & { name: 'InvalidFieldError' }

export class InvalidFieldError extends BacktestError {
  override name = 'InvalidFieldError' as const
  readonly file: string
  readonly row: number
  readonly field: string
  readonly value: string

  constructor({
    file,
    row,
    field,
    value,
    rule,
  }: { file: string; row: number; field: string; value: string; rule: string }) {
    super(`${file} row ${row}: field '${field}' = '${value}' is invalid (${rule}).`, {
      code: 'INVALID_FIELD',
      metaMessages: [
        `file: ${file}`,
        `row: ${row}`,
        `field: ${field}`,
        `value: ${value}`,
        `rule: ${rule}`,
        'Next: fix or drop that row; the backtest never substitutes a value.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#data-formats',
    })
    this.file = file
    this.row = row
    this.field = field
    this.value = value
  }
}

/** Events in a source are not in time (or block/log) order. */
export type EventsOutOfOrderErrorType = EventsOutOfOrderError & { name: 'EventsOutOfOrderError' }

export class EventsOutOfOrderError extends BacktestError {
  override name = 'EventsOutOfOrderError' as const
  readonly file: string
  readonly row: number
  readonly field: string

  constructor({
    file,
    row,
    field,
    previous,
    value,
  }: { file: string; row: number; field: string; previous: string; value: string }) {
    super(`${file} row ${row}: '${field}' = ${value} goes back in time (previous ${previous}).`, {
      code: 'EVENTS_OUT_OF_ORDER',
      metaMessages: [
        `file: ${file}`,
        `row: ${row}`,
        `field: ${field}`,
        `previous: ${previous}`,
        `value: ${value}`,
        'Next: sort the source by its time key (and log index) before the run.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/backtest.md#data-formats',
    })
    this.file = file
    this.row = row
    this.field = field
  }
}
