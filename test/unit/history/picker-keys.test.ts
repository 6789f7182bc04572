import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../../main/history/cli/history-picker.ts';

describe('Ctrl+R picker key reading', () => {
  it('splits a burst of input into keys', () => {
    expect(splitKeys('zzz\u001b')).toEqual(['zzz', '\u001b']);
    expect(splitKeys('\u001b[A\u001b[Bgit\r')).toEqual(['\u001b[A', '\u001b[B', 'git', '\r']);
    expect(splitKeys('\u001bOA\u0012é→\u007f')).toEqual(['\u001bOA', '\u0012', 'é→', '\u007f']);
  });
});
