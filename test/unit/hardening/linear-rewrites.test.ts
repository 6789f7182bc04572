// The hand scans that replaced quadratic patterns (regex-linear.test.ts found them) do exactly what the patterns
// did: compared with them on many short random inputs, where the patterns are still fast.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { joinContinued } from '../../../main/docker/import/navi.ts';
import { withoutTrailingDashes } from '../../../main/docker/import/placeholders.ts';
import { replaceOptions, replacePlaceholders } from '../../../main/docker/import/tldr.ts';
import { fuzz } from '../../support/fuzz.ts';

/** Short strings over the characters the patterns care about. */
const text = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));

describe('linear rewrites match the patterns they replaced', () => {
  it('navi line continuations', () => {
    fuzz(fc.property(text(['a', ' ', '\t', '\\', '\n', '\\\n']), (s) => joinContinued(s) === s.replace(/\s*\\\n\s*/g, ' ')));
  });
  it('tldr {{[short|long]}} options and {{placeholders}}', () => {
    const alphabet = ['{', '}', '[', ']', '|', 'a', '-', '{{', '}}', '{{[', ']}}'];
    fuzz(fc.property(text(alphabet), (s) => replaceOptions(s) === s.replace(/\{\{\[([^\]|]*)\|([^\]]*)\]\}\}/g, (_, short: string, long: string) => long || short)));
    fuzz(fc.property(text(alphabet), (s) => replacePlaceholders(s, (raw) => `<${raw}>`) === s.replace(/\{\{(.+?)\}\}/g, (_, raw: string) => `<${raw}>`)));
  });
  it('trailing dashes', () => {
    fuzz(fc.property(text(['-', 'a', '--']), (s) => withoutTrailingDashes(s) === s.replace(/-+$/, '')));
  });
});
