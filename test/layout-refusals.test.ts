/**
 * What the layout toolkit must not read as a table, and what it must not read twice: a cover
 * sheet whose only cell that looks like a header is a year, and two columns that read as one
 * period ("exports_2023" beside "share_2023"). Workbooks written here with exceljs.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { flowsAndPeriods, loadWith, rejectCount } from './helpers/bureau-checks.ts';
import { writeWorkbook } from './helpers/bureau-sheets.ts';
import { kgTableSheet } from './helpers/bureau-workbooks.ts';
import { runEntry } from './helpers/layout-variants.ts';
import { usePreparedWarehouse } from './helpers/pipeline-project.ts';
import { useTempDir } from './helpers/temp-dir.ts';
import { scalar } from './helpers/warehouse-query.ts';

const tmp = useTempDir();
const db = () => join(tmp(), 'w.db');
const warehouseAt = usePreparedWarehouse();
beforeEach(() => warehouseAt(db()));

describe('sheets and columns that look like a table and are not', () => {
  it('kg-nsc passes over a cover sheet whose one numeric cell is a year, and reads the imports table after it', async () => {
    const path = await writeWorkbook(
      join(tmp(), 'kg_imports.xlsx'),
      [
        { name: 'Мукаба', rows: [['Бишкек', 2024], [], ['Улуттук статистика комитети']] },
        kgTableSheet({ flow: 'M' }),
      ],
      'xlsx',
    );
    const run = await loadWith(db(), path, 'kg-nsc', '--no-derive');
    expect(run.code, run.stderr).toBe(0);
    expect(rejectCount(db())).toBe(0);
    expect(new Set(flowsAndPeriods(db()).map((fp) => fp.split(' ')[0]))).toEqual(new Set(['M']));
    const notes = scalar<string>(db(), 'select notes from load_files');
    expect(notes).toContain('sheet Мукаба passed over: a header but no figures under it');
  });

  it('a table whose "exports_2023" and "share_2023" columns both read as 2023 is refused, naming both', async () => {
    const path = await writeWorkbook(
      join(tmp(), 'shares.xlsx'),
      [
        {
          name: 'Data',
          rows: [
            ['Exports of goods by country (thousand US dollars)'],
            ['Country', 'exports_2022', 'exports_2023', 'share_2023'],
            ['Kazakhstan', 100, 120, 35.5],
            ['China', 200, 220, 64.5],
          ],
        },
      ],
      'xlsx',
    );
    const run = await runEntry(tmp(), db(), 'shares', {
      source: 'table',
      files: [path],
      table: {
        columns: { country: { labels: ['Country'] } },
        wide: { kind: 'periods' },
        map: {
          reporter: { value: 'KGZ' },
          partner: { column: 'country' },
          period: { column: 'period' },
          value: { column: 'value' },
        },
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('columns "exports_2023" and "share_2023" both read as period 2023');
    expect(scalar(db(), 'select count(*) from trade_flows')).toBe(0);
  });

  it('a declared unit in another currency is refused before any file, by name', async () => {
    const path = await writeWorkbook(join(tmp(), 'kg.xlsx'), [kgTableSheet({ flow: 'M' })], 'xlsx');
    const run = await loadWith(db(), path, 'kg-nsc', '--unit', 'thousand soms', '--override');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is in Kyrgyz soms (KGS), not US dollars');
    expect(scalar(db(), 'select count(*) from load_files')).toBe(0);
  });

  it('a flow declared for a source whose every row has one is refused before any file (exit 2)', async () => {
    const sample = join(
      import.meta.dirname,
      '..',
      'sources/comtrade/samples/pak_trade_2019_2023_illustrative.csv',
    );
    const run = await loadWith(db(), sample, 'comtrade', '--flow', 'X');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--flow (declare.flow) does not apply to source comtrade');
    expect(scalar(db(), 'select count(*) from load_files')).toBe(0);
  });
});
