// `lanyard tzsp extcap …`: what the installed launcher runs when Wireshark or tshark asks.
// Wireshark passes options this command does not know (and new versions add more): they are tolerated.
import { parseArgs } from 'node:util';
import { splitAllow } from '../allow-list.ts';
import { extcapConfigText, extcapDltsText, extcapInterface, extcapInterfacesText } from '../extcap.ts';
import { appVersion } from '../../system/app-version.ts';
import { type CommandContext, parsePort, UsageError } from '../../system/command-line.ts';

export async function runExtcap(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    options: {
      'extcap-interfaces': { type: 'boolean' },
      'extcap-version': { type: 'string' },
      'extcap-interface': { type: 'string' },
      'extcap-dlts': { type: 'boolean' },
      'extcap-config': { type: 'boolean' },
      'extcap-capture-filter': { type: 'string' },
      capture: { type: 'boolean' },
      fifo: { type: 'string' },
      port: { type: 'string' },
      bind: { type: 'string' },
      allow: { type: 'string', multiple: true },
    },
  });
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (values['extcap-interfaces']) {
    process.stdout.write(extcapInterfacesText(appVersion));
    return 0;
  }
  const iface = text(values['extcap-interface']);
  if (iface !== undefined && iface !== extcapInterface)
    throw new UsageError(`unknown extcap interface "${iface}" (this program offers ${extcapInterface})`);
  if (values['extcap-dlts']) {
    process.stdout.write(extcapDltsText());
    return 0;
  }
  if (values['extcap-config']) {
    process.stdout.write(extcapConfigText());
    return 0;
  }
  const fifo = text(values.fifo);
  if (!values.capture || !fifo)
    throw new UsageError('extcap needs --extcap-interfaces, --extcap-dlts, --extcap-config or --capture --fifo PATH');
  if (text(values['extcap-capture-filter']))
    process.stderr.write('lanyard: capture filters are not applied to TZSP; use a display filter in Wireshark\n');

  const session = await context.startHost();
  const allowValues = Array.isArray(values.allow) ? values.allow.filter((v): v is string => typeof v === 'string') : [];
  await session.api.captures.start({
    port: parsePort(text(values.port), 37008),
    bind: text(values.bind) || '0.0.0.0',
    allow: splitAllow(allowValues),
    fifo,
  });
  // Wireshark stops an extcap with SIGTERM; a closed FIFO (the reader went away) ends it too.
  let watch: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
    watch = setInterval(() => {
      void session.api.captures.status({}).then((s) => {
        if (!s.outputs.some((o) => o.kind === 'fifo')) resolve();
      });
    }, 500);
  });
  clearInterval(watch);
  await session.api.captures.stop({});
  await session.close();
  // Wireshark shows anything on stderr as an error, so a normal stop stays silent.
  return 0;
}
