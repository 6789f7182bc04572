// Certificates' schema steps in the shared database, one file each, in order. Append new steps; never edit one that has shipped.
import type { Migration } from '../../system/database.ts';
import { inventory } from './0001-inventory.ts';
import { acmeState } from './0002-acme-state.ts';
import { acmeInventory } from './0003-acme-inventory.ts';

export const certsMigrations: readonly Migration[] = [inventory, acmeState, acmeInventory];
