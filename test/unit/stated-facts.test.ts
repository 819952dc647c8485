import { describe, expect, it } from 'vitest';
import type { CorridorError } from '../../src/errors.ts';
import {
  type CoveredPeriod,
  coveredPeriodOfSheet,
  coveredPeriodOfTitle,
  periodText,
} from '../../src/layout/covered-period.ts';
import { flowsNamed } from '../../src/layout/flow-words.ts';
import { readPeriodLabel } from '../../src/layout/period-label.ts';
import { type FactQuestion, settleFact } from '../../src/layout/stated-facts.ts';

describe('flowsNamed: the flow a title, sheet name or header says', () => {
  it.each([
    ['Geographic distribution of exports of goods', ['X']],
    ['4.03.00.19: Geographic distribution of imports of goods', ['M']],
    ['Географическое распределение экспорта товаров', ['X']],
    ['Географическое распределение импорта товаров', ['M']],
    ['Товарлардын импортунун географиялык бөлүштүрүлүшү', ['M']],
    ['Товарларды экспортунун географиялык бөлүштүрүлүүсү', ['X']],
    ['Tovarlar eksporti', ['X']],
    ['Mamlakatlar bo‘yicha import', ['M']],
    ['Товарлар экспорти', ['X']],
    ['Ввоз товаров', ['M']],
    ['Вывоз товаров', ['X']],
    ['Exports', ['X']],
    ['IMPORTS BY COUNTRY', ['M']],
    ['Re-exports of goods', ['RX']],
    ['Реимпорт', ['RM']],
    ['Экспорт и импорт', ['X', 'M']],
    ['за январь-декабрь 2021 года', []],
    ['Основные показатели внешней торговли', []],
    ['An important note', []],
    ['Exporter country', []],
    ['Страна-экспортёр', []],
    ['Импортеры', []],
    ['Eksportchi korxonalar', []],
    ['Important notes', []],
    ['Mamlakatlar bo‘yicha importlar', ['M']],
    ['Importlangan tovarlar', ['M']],
    ['Domestic exports by country', ['DX']],
    ['Exports, including re-exports', ['X']],
    ['Экспорт (без учета реэкспорта)', ['X']],
  ])('%s → %j', (text, flows) => {
    expect(flowsNamed(text)).toEqual(flows);
  });
});

describe('coveredPeriodOfTitle and coveredPeriodOfSheet: the period a whole table covers', () => {
  it.each([
    ['за январь-декабрь 2021 года', '2021'],
    ['за 2022 год', '2022'],
    ['2023 жыл', '2023'],
    ['Сыртқы сауда, 2023 жылғы', '2023'],
    ['January–December 2023', '2023'],
    ['за январь-июнь 2023 года', '2023-01/2023-06'],
    ['за январь-март 2023 года', '2023-Q1'],
    ['I квартал 2023 г.', '2023-Q1'],
    ['за январь 2024 года', '2024-01'],
    ['қаңтар-желтоқсан 2022 ж.', '2022'],
    ['yanvar-dekabr 2022 yil', '2022'],
    ['за 9 месяцев 2023 года', '2023-01/2023-09'],
    ['за I полугодие 2023 года', '2023-01/2023-06'],
    ['2023 жылғы қаңтар-маусымдағы', '2023-01/2023-06'],
    ['за январь-сентябрь 2023 г.', '2023-01/2023-09'],
    ['Exports, January–June 2023', '2023-01/2023-06'],
    ['в 2022 году', '2022'],
    ['2022', '2022'],
  ])('%s → %s', (title, period) => {
    const read = coveredPeriodOfTitle(title);
    expect(read).not.toBeNull();
    expect(read).not.toHaveProperty('unclear');
    expect(periodText(read as CoveredPeriod)).toBe(period);
  });

  it('reads nothing from titles that name no period', () => {
    for (const title of [
      'Основные показатели внешней торговли',
      'тыс. долларов США',
      'Pakistan 2022-23',
      'в % к 2020 году',
      '2022-2023 гг.',
    ])
      expect(coveredPeriodOfTitle(title)).toBeNull();
  });

  it('never reads a year beside words of a part of it, or a date, as the whole year', () => {
    expect(periodText(coveredPeriodOfTitle('за 9 мес. 2023 года') as CoveredPeriod)).toBe('2023-01/2023-09');
    for (const title of [
      '(по состоянию на 15.02.2024 г.)',
      'Экспорт за 2023 год (оперативные данные за 11 мес.)',
    ])
      expect(coveredPeriodOfTitle(title)).toHaveProperty('unclear');
    expect(coveredPeriodOfTitle('на 1 января 2024 года')).toBeNull();
  });

  it('reads the bureau’s sheet names', () => {
    expect(periodText(coveredPeriodOfSheet('12_2021')!)).toBe('2021');
    expect(periodText(coveredPeriodOfSheet('6_2023')!)).toBe('2023-01/2023-06');
    expect(periodText(coveredPeriodOfSheet('2022')!)).toBe('2022');
    expect(coveredPeriodOfSheet('Лист1')).toBeNull();
  });
});

describe('readPeriodLabel: headers that name a period in other ways', () => {
  it('reads "2023 1" as a month and a prefixed column name as its year', () => {
    expect(readPeriodLabel('2023 1')).toEqual({ kind: 'month', year: 2023, month: 1 });
    expect(readPeriodLabel('2023 12')).toEqual({ kind: 'month', year: 2023, month: 12 });
    expect(readPeriodLabel('Port_cargo_throughput_2014')).toEqual({ kind: 'year', year: 2014 });
    expect(readPeriodLabel('Total 2023')).toBeNull();
    expect(readPeriodLabel('2023 13')).toBeNull();
  });
});

describe('settleFact: the file, the declaration, or a refusal', () => {
  const question = (over: Partial<FactQuestion<string>>): FactQuestion<string> => ({
    fact: 'flow',
    where: 'f.xlsx › Sheet1',
    sheet: 'Sheet1',
    readings: [],
    searched: 'the titles',
    declared: undefined,
    override: false,
    option: '--flow X or --flow M',
    key: (v) => v,
    describe: (v) => v,
    ...over,
  });
  const codeOf = (q: FactQuestion<string>) => {
    try {
      settleFact(q);
      return null;
    } catch (error) {
      return (error as CorridorError).code;
    }
  };

  it('takes what the file says, and records where', () => {
    const { value, fact } = settleFact(
      question({ readings: [{ value: 'M', place: 'the title "Imports"' }] }),
    );
    expect(value).toBe('M');
    expect(fact).toMatchObject({ origin: 'file', place: 'the title "Imports"' });
  });

  it('refuses a file that says nothing, naming the option, and takes a declaration', () => {
    expect(codeOf(question({}))).toBe('fact_not_stated');
    expect(() => settleFact(question({}))).toThrow(/--flow X or --flow M/);
    expect(settleFact(question({ declared: 'M' })).fact.origin).toBe('declaration');
  });

  it('asks the file name only when the table is silent', () => {
    const fallback = [{ value: 'X', place: 'the file name' }];
    expect(settleFact(question({ fallback })).value).toBe('X');
    expect(settleFact(question({ readings: [{ value: 'M', place: 'title' }], fallback })).value).toBe('M');
  });

  it('refuses a file that says two things unless a declaration picks one', () => {
    const readings = [
      { value: 'X', place: 'the sheet name' },
      { value: 'M', place: 'the title' },
    ];
    expect(codeOf(question({ readings }))).toBe('facts_contradict');
    expect(settleFact(question({ readings, declared: 'M' })).value).toBe('M');
  });

  it('refuses a declaration that contradicts the file, unless overridden', () => {
    const readings = [{ value: 'M', place: 'the title' }];
    expect(codeOf(question({ readings, declared: 'X' }))).toBe('declaration_contradicts_file');
    const { value, fact } = settleFact(question({ readings, declared: 'X', override: true }));
    expect(value).toBe('X');
    expect(fact.origin).toBe('override');
    expect(settleFact(question({ readings, declared: 'M' })).fact.origin).toBe('file');
  });
});
