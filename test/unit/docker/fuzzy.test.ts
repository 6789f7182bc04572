import { describe, expect, it } from 'vitest';
import { loadBuiltinCheats } from '../../../main/docker/cheats.ts';
import { fuzzyFilter, fuzzyScore } from '../../../main/docker/fuzzy.ts';

describe('fuzzy cheat search', () => {
  const cheats = loadBuiltinCheats();
  it('puts the cheat a newcomer means first', () => {
    expect(fuzzyFilter(cheats, 'exec')[0]!.id).toBe('exec-shell');
    expect(fuzzyFilter(cheats, 'shell container')[0]!.id).toBe('exec-shell');
    expect(fuzzyFilter(cheats, 'logs')[0]!.id).toBe('logs-follow');
    expect(fuzzyFilter(cheats, 'build')[0]!.id).toBe('build');
    expect(fuzzyFilter(cheats, 'vol rm')[0]!.id).toBe('volume-rm');
  });
  it('matches subsequences and rejects what is not there', () => {
    expect(fuzzyScore('dps', 'docker ps')).not.toBeNull();
    expect(fuzzyScore('xyz', 'docker ps')).toBeNull();
    expect(fuzzyFilter(cheats, 'zzzz')).toEqual([]);
    expect(fuzzyFilter(cheats, '')).toHaveLength(cheats.length);
  });
});
