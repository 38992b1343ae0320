/**
 * The on-demand price table kept in the repository (`config/prices/<region>.csv`): one row per price,
 * each with its source, date and confidence. A row without a figure, or with a figure for another
 * region, is kept on purpose: looking it up gives the reason the item stays unpriced, so the report
 * never invents a price.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CONFIDENCES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** The quantity a price is per. Hourly prices are multiplied by the hours of a month. */
export const PRICE_UNITS = ['hour', 'LCU-hour', 'GB-month', 'GB', 'month', '10k requests', '1M requests'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Rows that apply wherever a resource lives (CloudFront, Route 53, WAF). */
export const GLOBAL_REGION = 'global';

export interface PriceRow {
  /** Stable key the pricers look up, e.g. `ec2.t3.medium`, `rds.postgres.db.t3.large.multi-az`. */
  readonly id: string;
  readonly service: string;
  readonly item: string;
  readonly unit: PriceUnit;
  /** USD per unit; undefined when no sourced figure exists (the note says why). */
  readonly usd?: number;
  /** Region the figure is for: the table's region, `global`, or another region (then it is not used). */
  readonly region: string;
  readonly source: string;
  readonly asOf: string;
  readonly confidence?: Confidence;
  readonly note: string;
}

export type PriceLookup = { readonly ok: true; readonly row: PriceRow; readonly usd: number } | { readonly ok: false; readonly id: string; readonly reason: string };

export const COLUMNS = ['id', 'service', 'item', 'unit', 'usd', 'region', 'source', 'as_of', 'confidence', 'note'] as const;

export class PriceTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceTableError';
  }
}

export class PriceTable {
  private readonly byId: ReadonlyMap<string, PriceRow>;

  constructor(
    /** The region the table prices (`ap-northeast-2`). */
    public readonly region: string,
    /** Where the table came from, for messages (`config/prices/ap-northeast-2.csv`). */
    public readonly origin: string,
    rows: readonly PriceRow[],
  ) {
    this.byId = new Map(rows.map((row) => [row.id, row]));
  }

  get rows(): PriceRow[] {
    return [...this.byId.values()];
  }

  /**
   * The price of `id` for a resource in `region` (default: the table's region). Only a row for that
   * region, or a `global` row, with a figure, prices anything; every other case says why not.
   */
  lookup(id: string, region: string = this.region): PriceLookup {
    const row = this.byId.get(id);
    if (!row) return { ok: false, id, reason: `no row "${id}" in ${this.origin}` };
    if (row.usd === undefined) return { ok: false, id, reason: `no sourced price for ${row.item} (${row.region}): ${row.note}` };
    if (row.region !== region && row.region !== GLOBAL_REGION) {
      const other = `only a ${row.region} figure is known ($${row.usd} per ${row.unit}, ${row.confidence ?? 'unrated'}: ${row.note})`;
      return { ok: false, id, reason: region === this.region ? `${other}; not used for ${region}` : `the resource is in ${region}; the table prices ${this.region} and global rows, and ${other}` };
    }
    return { ok: true, row, usd: row.usd };
  }
}

/** Reads `config/prices/<region>.csv` under `root`. */
export function loadPriceTable(root: string, region: string): PriceTable {
  const relative = path.join('config', 'prices', `${region}.csv`);
  const file = path.join(root, relative);
  if (!fs.existsSync(file)) throw new PriceTableError(`no price table for ${region}: ${relative} is missing`);
  return parsePriceTable(fs.readFileSync(file, 'utf8'), region, relative);
}

/**
 * Parses and checks the CSV: the header is exactly `COLUMNS`; ids are unique; units and confidences
 * are from the allowed lists; a row with a figure names its source, date and confidence. Every
 * problem is reported at once, with its line number.
 */
export function parsePriceTable(text: string, region: string, origin: string): PriceTable {
  const records = parseCsv(text);
  const [header, ...body] = records;
  if (!header || header.join(',') !== COLUMNS.join(',')) {
    throw new PriceTableError(`${origin}: header must be "${COLUMNS.join(',')}", got "${(header ?? []).join(',')}"`);
  }
  const problems: string[] = [];
  const rows: PriceRow[] = [];
  const seen = new Set<string>();
  body.forEach((fields, index) => {
    const line = index + 2;
    if (fields.length === 1 && fields[0] === '') return;
    if (fields.length !== COLUMNS.length) {
      problems.push(`line ${line}: expected ${COLUMNS.length} fields, got ${fields.length}`);
      return;
    }
    const [id, service, item, unit, usd, rowRegion, source, asOf, confidence, note] = fields;
    const where = `line ${line} (${id || 'no id'})`;
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) problems.push(`${where}: id must be lower-case words joined by dots or dashes`);
    if (seen.has(id)) problems.push(`${where}: duplicate id`);
    seen.add(id);
    if (!(PRICE_UNITS as readonly string[]).includes(unit)) problems.push(`${where}: unit "${unit}" is not one of ${PRICE_UNITS.join(', ')}`);
    if (confidence !== '' && !(CONFIDENCES as readonly string[]).includes(confidence)) problems.push(`${where}: confidence "${confidence}" is not one of ${CONFIDENCES.join(', ')} (or empty without a figure)`);
    if (!rowRegion) problems.push(`${where}: region is empty`);
    let figure: number | undefined;
    if (usd !== '') {
      figure = Number(usd);
      if (!Number.isFinite(figure) || figure < 0) problems.push(`${where}: usd "${usd}" is not a non-negative number`);
      if (!source || !asOf || !confidence) problems.push(`${where}: a figure needs its source, as_of date and confidence`);
    } else if (!note) {
      problems.push(`${where}: a row without a figure must say why in its note`);
    }
    rows.push({ id, service, item, unit: unit as PriceUnit, usd: figure, region: rowRegion, source, asOf, confidence: confidence ? (confidence as Confidence) : undefined, note });
  });
  if (problems.length > 0) throw new PriceTableError(`${origin}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return new PriceTable(region, origin, rows);
}

/** RFC 4180 CSV: comma-separated, fields optionally in double quotes, `""` for a quote inside one. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new PriceTableError('unterminated quoted field');
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}
