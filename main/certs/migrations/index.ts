// Certificates' schema steps in the shared database, in order. Append new steps; never edit one that has shipped.
import type { Migration } from '../../system/database.ts';
import { inventory } from './1-inventory.ts';

export const certsMigrations: readonly Migration[] = [inventory];
