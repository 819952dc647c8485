import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/cli/output.ts';

describe('formatCount', () => {
  it.each([0, 5, 999, 1000, 12345, 1_234_567, 5_000_000, -1234, 1234.5678, 0.1234, 123_456_789_012])(
    'writes %d as toLocaleString("en-US") does, without loading ICU',
    (n) => {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    },
  );
});
