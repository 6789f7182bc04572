// The history service opened straight from the CLI, for the commands a shell runs on a keystroke (search and the
// Ctrl+R picker): the in-process host would load zod, the contract and every other service first (~0.1 s).
import type { HistoryService } from '../service.ts';

export async function openHistoryService(onUpgrade?: () => void): Promise<HistoryService> {
  const [{ createHistoryService }, { upgradeHistoryDb }, { resolveDataDir }] = await Promise.all([
    import('../service.ts'),
    import('../upgrade.ts'),
    import('../../system/data-dir.ts'),
  ]);
  const dataDir = resolveDataDir().path;
  await upgradeHistoryDb(dataDir, onUpgrade);
  return createHistoryService(dataDir, onUpgrade);
}
