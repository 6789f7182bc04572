// Wireshark's extcap protocol for "Lanyard TZSP", and the launcher `lanyard tzsp install-extcap` puts in
// Wireshark's personal extcap folder. The launcher pins the Node and CLI bundle that installed it.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../system/run.ts';
import { batchLine, commandLine } from '../system/shell-quote.ts';
import { which } from '../system/which.ts';
import { extcapLauncherName, personalExtcapFolder } from './extcap-folder.ts';
import { tzspDefaultPort } from './tzsp.ts';

export const extcapInterface = 'lanyard-tzsp';

export function extcapInterfacesText(appVersion: string): string {
  return [
    `extcap {version=${appVersion}}`,
    `interface {value=${extcapInterface}}{display=Lanyard TZSP receiver (UDP, one interface per sensor)}`,
    '',
  ].join('\n');
}

/** The stream is pcapng, so each sensor's own link type travels in its interface block; Ethernet is the common case. */
export function extcapDltsText(): string {
  return 'dlt {number=1}{name=EN10MB}{display=TZSP sensors (each sensor keeps its own link type)}\n';
}

export function extcapConfigText(): string {
  return [
    `arg {number=0}{call=--port}{display=UDP port}{type=unsigned}{range=1,65535}{default=${tzspDefaultPort}}{tooltip=Port the sensors send TZSP to (MikroTik and Scratch'n'Sniff use 37008)}`,
    'arg {number=1}{call=--bind}{display=Listen address}{type=string}{default=0.0.0.0}{tooltip=IPv4 or IPv6 address to bind; :: for both}',
    'arg {number=2}{call=--allow}{display=Allowed senders}{type=string}{tooltip=Comma-separated addresses or CIDR prefixes; empty allows everyone}',
    '',
  ].join('\n');
}

export function launcherText(node: string, cliBundle: string): string {
  if (process.platform === 'win32') {
    return `@echo off\r\nrem Lanyard TZSP extcap launcher, written by \`lanyard tzsp install-extcap\`.\r\n${batchLine([node, cliBundle, 'tzsp', 'extcap'], '%*')}\r\n`;
  }
  return [
    '#!/bin/sh',
    '# Lanyard TZSP extcap launcher, written by `lanyard tzsp install-extcap`. Re-run it after moving Lanyard.',
    `exec ${commandLine([node, cliBundle, 'tzsp', 'extcap'], 'sh')} "$@"`,
    '',
  ].join('\n');
}

export interface ExtcapInstall {
  launcher: string;
  folder: string;
  /** How the folder was chosen (tshark -G folders, or the per-version default). */
  source: string;
  wiresharkVersion: string | null;
}

/** Write the launcher into the personal extcap folder that the installed tshark/Wireshark reads. */
export async function installExtcap(node: string, cliBundle: string, env: NodeJS.ProcessEnv = process.env): Promise<ExtcapInstall> {
  const tshark = which('tshark', env);
  let folders: string | null = null;
  let version: string | null = null;
  if (tshark) {
    const [f, v] = await Promise.all([run(tshark, ['-G', 'folders'], { env }), run(tshark, ['--version'], { env })]);
    folders = f.code === 0 ? f.stdout : null;
    version = /TShark \(Wireshark\) (\d+\.\d+\.\d+)/.exec(v.stdout)?.[1] ?? null;
  }
  const folder = personalExtcapFolder(folders, version, env);
  mkdirSync(folder.path, { recursive: true, mode: 0o700 });
  const launcher = path.join(folder.path, extcapLauncherName);
  writeFileSync(launcher, launcherText(node, cliBundle), { mode: 0o755 });
  chmodSync(launcher, 0o755);
  return { launcher, folder: folder.path, source: folder.source, wiresharkVersion: version };
}
