// History's schema steps in the shared database, one file each, in order. Append new steps; never edit one that has shipped.
import type { Migration } from '../../system/database.ts';
import { commandsAndRuns } from './0001-commands-and-runs.ts';
import { searchAtAMillionRuns } from './0002-search-at-a-million-runs.ts';
import { hostAndShellFilters } from './0003-host-and-shell-filters.ts';
import { syncRecordLog } from './0004-sync-record-log.ts';

export const historyMigrations: readonly Migration[] = [commandsAndRuns, searchAtAMillionRuns, hostAndShellFilters, syncRecordLog];
