/**
 * Folds a country (or any) name for matching: lower case, accents dropped, letters and digits
 * only. "Côte d'Ivoire", "COTE D IVOIRE" and "cote-d'ivoire" all fold to "cotedivoire";
 * Cyrillic letters are kept ("Пакистан" → "пакистан").
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
