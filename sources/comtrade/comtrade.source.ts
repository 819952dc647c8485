/**
 * UN Comtrade in every layout the UN has published (docs/comtrade-layouts.md): Comtrade+ (API
 * v1) answers as CSV or JSON, the site's downloads and the bulk files with codes only, the
 * comtradr snake_case exports, and the legacy API (comtrade.un.org/api/get) and its downloads
 * with human-readable headings. One source: the aliases below read every spelling of a field
 * (DOMAIN.md §1.1), and an answer that holds no data loads as 0 rows with a note
 * (comtrade-replies.ts).
 *
 * Rules worth knowing:
 * - `primaryValue` is FOB for exports and CIF for imports; when it is absent the value is taken
 *   from `fobvalue` (exports) or `cifvalue` (imports).
 * - comtradr stores a missing weight, quantity or CIF/FOB value as 0.0 (DOMAIN.md §1.1, fixture
 *   quirks). A zero weight or quantity on a row that has trade value is physically impossible,
 *   so it is stored as NULL (unknown), never as zero.
 * - `partner2`, `motCode` and `customsCode` stay in the key: omitting them in a query returns
 *   every breakdown, which sum to more than the total.
 * - Reporters and partners come by code, ISO code or name, whichever the layout has (bulk
 *   files: the code alone); the code wins, and an ISO code naming another country is an error.
 * - A flow given both as a code and in words (legacy `rgCode` 1 and `rgDesc` "Import") must say
 *   the same thing; quantity units are kept in Comtrade+ terms (quantity-units.ts).
 */
import { z } from 'zod';
import { normalizeHsCode, normalizeHsEdition } from '../../src/normalize/hs-code.ts';
import { normalizePeriod } from '../../src/normalize/period.ts';
import { normalizeFlow } from '../../src/normalize/trade-flow-code.ts';
import { defineTradeSource, type FieldIssue, type TradeFlowRow } from '../../src/validate/trade-source.ts';
import { cells } from '../../src/validate/zod-cells.ts';
import { recogniseComtradeReply } from './comtrade-replies.ts';
import { quantityUnit } from './quantity-units.ts';

const columns = {
  freq: { label: 'frequency', aliases: ['freqCode', 'freq'] },
  period: { label: 'period', aliases: ['period'] },
  refYear: { label: 'year', aliases: ['refYear', 'yr', 'Year'] },
  refMonth: { label: 'month', aliases: ['refMonth'] },
  reporterCode: { label: 'reporter code', aliases: ['reporterCode', 'rtCode', 'Reporter Code'] },
  reporterIso: { label: 'reporter ISO code', aliases: ['reporterISO', 'rt3ISO', 'Reporter ISO'] },
  reporterDesc: { label: 'reporter name', aliases: ['reporterDesc', 'rtTitle', 'Reporter'] },
  partnerCode: { label: 'partner code', aliases: ['partnerCode', 'ptCode', 'Partner Code'] },
  partnerIso: { label: 'partner ISO code', aliases: ['partnerISO', 'pt3ISO', 'Partner ISO'] },
  partnerDesc: { label: 'partner name', aliases: ['partnerDesc', 'ptTitle', 'Partner'] },
  partner2Code: {
    label: 'second partner code',
    aliases: ['partner2Code', 'ptCode2', '2nd Partner Code', 'second_partner_code'],
  },
  partner2Iso: {
    label: 'second partner ISO code',
    aliases: ['partner2ISO', 'pt3ISO2', '2nd Partner ISO', 'second_partner_iso'],
  },
  flowCode: { label: 'trade flow code', aliases: ['flowCode', 'rgCode', 'Trade Flow Code'] },
  flowDesc: { label: 'trade flow', aliases: ['flowDesc', 'rgDesc', 'Trade Flow'] },
  classification: { label: 'classification', aliases: ['classificationCode', 'pfCode', 'Classification'] },
  cmdCode: { label: 'commodity code', aliases: ['cmdCode', 'Commodity Code'] },
  primaryValue: {
    label: 'trade value',
    aliases: ['primaryValue', 'TradeValue', 'Trade Value (US$)', 'trade_value_usd'],
  },
  cifValue: { label: 'CIF value', aliases: ['cifValue', 'CIF Trade Value (US$)', 'cif_trade_value_usd'] },
  fobValue: { label: 'FOB value', aliases: ['fobValue', 'FOB Trade Value (US$)', 'fob_trade_value_usd'] },
  netWgt: { label: 'net weight', aliases: ['netWgt', 'NetWeight', 'Netweight (kg)'] },
  isNetWgtEstimated: { label: 'net weight estimate flag', aliases: ['isNetWgtEstimated'] },
  grossWgt: { label: 'gross weight', aliases: ['grossWgt', 'GrossWeight', 'Gross weight (kg)'] },
  qty: { label: 'quantity', aliases: ['qty', 'TradeQuantity'] },
  qtyUnitCode: { label: 'quantity unit code', aliases: ['qtyUnitCode', 'qtCode', 'Qty Unit Code'] },
  qtyUnitAbbr: { label: 'quantity unit', aliases: ['qtyUnitAbbr'] },
  // The legacy layouts describe the unit in words ("Weight in kilograms"); not `qtAltDesc`,
  // which is the alternative quantity's unit.
  qtyUnitDesc: { label: 'quantity unit description', aliases: ['qtDesc', 'Qty Unit'] },
  motCode: { label: 'mode of transport code', aliases: ['motCode', 'Mode of Transport Code'] },
  customsCode: { label: 'customs procedure code', aliases: ['customsCode', 'cstCode', 'Customs Proc. Code'] },
} as const;

type Field = keyof typeof columns;

const rowSchema = z.object({
  freq: cells.code({ label: 'frequency' }),
  period: cells.code({ label: 'period' }),
  refYear: cells.code({ label: 'year' }),
  refMonth: cells.code({ label: 'month' }),
  reporterCode: cells.integerCode({ label: 'reporter code', issue: 'unknown_country' }),
  reporterIso: cells.code({ label: 'reporter ISO code' }),
  reporterDesc: cells.code({ label: 'reporter name' }),
  partnerCode: cells.integerCode({ label: 'partner code', issue: 'unknown_country' }),
  partnerIso: cells.code({ label: 'partner ISO code' }),
  partnerDesc: cells.code({ label: 'partner name' }),
  partner2Code: cells.integerCode({ label: 'second partner code', issue: 'unknown_country' }),
  partner2Iso: cells.code({ label: 'second partner ISO code' }),
  flowCode: cells.code({ label: 'trade flow code' }),
  flowDesc: cells.code({ label: 'trade flow' }),
  classification: cells.code({ label: 'classification' }),
  cmdCode: cells.code({ label: 'commodity code', required: true }),
  primaryValue: cells.number({ label: 'trade value', nonNegative: true }),
  cifValue: cells.number({ label: 'CIF value', nonNegative: true }),
  fobValue: cells.number({ label: 'FOB value', nonNegative: true }),
  netWgt: cells.number({ label: 'net weight', nonNegative: true }),
  isNetWgtEstimated: cells.boolean({ label: 'net weight estimate flag' }),
  grossWgt: cells.number({ label: 'gross weight', nonNegative: true }),
  qty: cells.number({ label: 'quantity', nonNegative: true }),
  qtyUnitCode: cells.integerCode({ label: 'quantity unit code' }),
  qtyUnitAbbr: cells.code({ label: 'quantity unit' }),
  qtyUnitDesc: cells.code({ label: 'quantity unit description' }),
  motCode: cells.code({ label: 'mode of transport code' }),
  customsCode: cells.code({ label: 'customs procedure code' }),
});

type ComtradeRow = z.infer<typeof rowSchema>;

const EXPORT_FLOWS = new Set(['X', 'RX', 'DX', 'XIP', 'XOP']);

/** comtradr's 0.0 for "not reported": zero only where it can be true (no trade value). */
const zeroMeansMissing = (amount: number | null, value: number): number | null =>
  amount === 0 && value > 0 ? null : amount;

export const comtradeSource = defineTradeSource<Field, ComtradeRow>({
  name: 'comtrade',
  about: {
    dataset: 'UN Comtrade',
    publisher: 'United Nations Statistics Division (UNSD)',
    url: 'https://comtradeplus.un.org',
    licence: {
      id: 'LicenseRef-UN-Comtrade-terms',
      title:
        'UN Comtrade terms of use: internal use only; not to be re-disseminated in any form without the prior written consent of UNSD',
      url: 'https://comtradeplus.un.org',
      redistribution: 'not allowed',
      attribution: null,
    },
    illustrative: false,
    fileCovers:
      'nothing it can know: an extract answers a query the loader never saw, so a file merges (--replace-scope declares more)',
    flows: ['X', 'M', 'RX', 'RM', 'DX', 'FM', 'MIP', 'MOP', 'XIP', 'XOP'],
    units: ['US dollars', 'kg', "Comtrade's quantity units"],
    periods: ['annual', 'monthly'],
  },
  description: 'UN Comtrade API v1 (Comtrade+) CSV or JSON, comtradr exports, legacy bulk downloads',
  target: 'trade_flows',
  columns,
  required: [
    ['reporterCode', 'reporterIso', 'reporterDesc'],
    ['partnerCode', 'partnerIso', 'partnerDesc'],
    ['flowCode', 'flowDesc'],
    ['period', 'refYear'],
    ['cmdCode'],
    ['primaryValue', 'cifValue', 'fobValue'],
  ],
  rowSchema,
  recognise: recogniseComtradeReply,
  begin: ({ countries, hsCodes }) => {
    return (row): TradeFlowRow | FieldIssue<Field>[] => {
      const issues: FieldIssue<Field>[] = [];

      const period = normalizePeriod(row.period, row.refYear, row.refMonth, row.freq);
      if ('problem' in period)
        issues.push({
          code: 'bad_period',
          field: row.period === null ? 'refYear' : 'period',
          message: period.problem,
        });

      const flowText = row.flowCode ?? row.flowDesc;
      const flow = flowText === null ? null : normalizeFlow(flowText);
      // Both a code and words (legacy rgCode 1, rgDesc "Import"): they must agree.
      const flowInWords = row.flowCode === null || row.flowDesc === null ? null : normalizeFlow(row.flowDesc);
      if (flow !== null && flowInWords !== null && flowInWords !== flow)
        issues.push({
          code: 'bad_flow',
          field: 'flowCode',
          message: `${JSON.stringify(row.flowCode)} (${flow}) disagrees with the flow in words, ${JSON.stringify(row.flowDesc)} (${flowInWords}); correct whichever is wrong.`,
        });
      if (flow === null) {
        issues.push({
          code: flowText === null ? 'missing_value' : 'bad_flow',
          field: row.flowCode === null ? 'flowDesc' : 'flowCode',
          message:
            flowText === null
              ? 'is empty; every row needs a trade flow (X, M, RX, RM).'
              : `${JSON.stringify(flowText)} is not a Comtrade flow; use X, M, RX, RM, DX, FM, MIP, MOP, XIP or XOP.`,
        });
      }

      const edition = normalizeHsEdition(row.classification);
      if ('problem' in edition)
        issues.push({
          code: 'unsupported_classification',
          field: 'classification',
          message: edition.problem,
        });

      const hs = normalizeHsCode(row.cmdCode);
      if ('problem' in hs) issues.push({ code: 'bad_hs_code', field: 'cmdCode', message: hs.problem });
      else if (!('problem' in edition)) {
        const unknown = hsCodes.problem(edition.edition, hs.code);
        if (unknown !== null) issues.push({ code: 'unknown_hs_code', field: 'cmdCode', message: unknown });
      }

      const year = 'problem' in period ? undefined : period.year;
      const country = (
        code: string | null,
        iso: string | null,
        name: string | null,
        what: string,
        field: Field,
      ) => {
        const found = countries.resolve({ code, iso, name, ...(year === undefined ? {} : { year }) }, what);
        if ('iso3' in found) return found.iso3;
        issues.push({
          code: found.problem === 'inconsistent' ? 'inconsistent_country' : 'unknown_country',
          field,
          message: found.message,
        });
        return null;
      };
      const codeField = (code: string | null, iso: string | null, codeF: Field, isoF: Field, descF: Field) =>
        code !== null ? codeF : iso !== null ? isoF : descF;
      const reporter = country(
        row.reporterCode,
        row.reporterIso,
        row.reporterDesc,
        'reporter',
        codeField(row.reporterCode, row.reporterIso, 'reporterCode', 'reporterIso', 'reporterDesc'),
      );
      const partner = country(
        row.partnerCode,
        row.partnerIso,
        row.partnerDesc,
        'partner',
        codeField(row.partnerCode, row.partnerIso, 'partnerCode', 'partnerIso', 'partnerDesc'),
      );
      const partner2 =
        row.partner2Code === null && row.partner2Iso === null
          ? 'W00'
          : country(
              row.partner2Code,
              row.partner2Iso,
              null,
              'second partner',
              row.partner2Code === null ? 'partner2Iso' : 'partner2Code',
            );

      const isExport = flow !== null && EXPORT_FLOWS.has(flow);
      // Without primaryValue, take the valuation that matches the flow, unless it is comtradr's
      // 0.0 for "missing" and the other one holds a value.
      const [preferred, other] = isExport ? [row.fobValue, row.cifValue] : [row.cifValue, row.fobValue];
      const value =
        row.primaryValue ?? (preferred === 0 && other !== null && other > 0 ? other : (preferred ?? other));
      if (value === null) {
        issues.push({
          code: 'missing_value',
          field: 'primaryValue',
          message:
            'is empty, and so are the CIF and FOB values; every row needs a trade value in US dollars.',
        });
      }

      if (issues.length > 0 || 'problem' in period || 'problem' in hs || 'problem' in edition) return issues;
      const v = value!;
      const unit = quantityUnit(row.qtyUnitCode, row.qtyUnitAbbr, row.qtyUnitDesc);
      const qty = unit.code === '-1' ? null : zeroMeansMissing(row.qty, v);
      return {
        reporter_iso3: reporter!,
        reporter_code: row.reporterCode,
        partner_iso3: partner!,
        partner_code: row.partnerCode,
        partner2_iso3: partner2!,
        flow: flow!,
        freq: period.freq,
        period: period.period,
        year: period.year,
        month: period.month,
        hs_edition: edition.edition,
        hs_code: hs.code,
        hs_level: hs.level,
        value_usd: v,
        cif_value_usd: zeroMeansMissing(row.cifValue, v),
        fob_value_usd: zeroMeansMissing(row.fobValue, v),
        net_weight_kg: zeroMeansMissing(row.netWgt, v),
        net_weight_estimated: row.isNetWgtEstimated === null ? null : row.isNetWgtEstimated ? 1 : 0,
        gross_weight_kg: zeroMeansMissing(row.grossWgt, v),
        qty,
        qty_unit_code: unit.code,
        qty_unit: unit.unit,
        mode_of_transport: row.motCode ?? '0',
        customs_procedure: row.customsCode ?? 'C00',
      };
    };
  },
});
