import { describe, expect, it } from 'vitest';
import { foldName } from '../../src/normalize/fold-name.ts';

describe('foldName', () => {
  it("folds case, accents, spaces and punctuation away: Côte d'Ivoire", () => {
    expect(foldName("Côte d'Ivoire")).toBe('cotedivoire');
    expect(foldName('COTE D IVOIRE')).toBe('cotedivoire');
    expect(foldName("cote-d'ivoire")).toBe('cotedivoire');
  });

  it('keeps Cyrillic letters, lower-cased', () => {
    expect(foldName('Пакистан')).toBe('пакистан');
    expect(foldName(' Страны ЕАЭС')).toBe('страныеаэс');
  });

  it('keeps digits, so header names like partner2Code stay distinct', () => {
    expect(foldName('partner2Code')).toBe('partner2code');
    expect(foldName('2nd Partner Code')).toBe('2ndpartnercode');
  });

  it('makes camelCase, snake_case and spaced header spellings one name', () => {
    expect(foldName('primaryValue')).toBe('primaryvalue');
    expect(foldName('primary_value')).toBe('primaryvalue');
    expect(foldName('PrimaryValue')).toBe('primaryvalue');
    expect(foldName('Trade Value (US$)')).toBe('tradevalueus');
  });

  it('folds Türkiye and compatibility characters', () => {
    expect(foldName('Türkiye')).toBe('turkiye');
    expect(foldName('Ｐａｋｉｓｔａｎ')).toBe('pakistan');
  });

  it('folds a name of only punctuation to the empty string', () => {
    expect(foldName(' - ')).toBe('');
    expect(foldName('')).toBe('');
  });
});
