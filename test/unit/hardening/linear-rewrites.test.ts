// The hand scans that replaced quadratic patterns (regex-linear.test.ts found them) do exactly what the patterns
// did: compared with them on many short random inputs, where the patterns are still fast.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { trimDashes } from '../../../main/docker/import/placeholders.ts';
import { fuzz } from '../../support/fuzz.ts';

/** Short strings over the characters the patterns care about. */
const text = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));

describe('linear rewrites match the patterns they replaced', () => {
  it('trailing dashes', () => {
    fuzz(fc.property(text(['-', 'a', '--']), (s) => trimDashes(s) === s.replace(/-+$/, '')));
  });
});
