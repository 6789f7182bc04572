// The ACME client snippets (display/acme-clients.ts) for this machine: the CA's root and bundle files filled in,
// shell lines quoted for the user's shell. For `lanyard acme clients` and the certs.acmeClients request.
import { readFileSync } from 'node:fs';
import { acmeClientSnippets, type ClientSnippet } from '../display/acme-clients.ts';
import { envCommandLine } from '../system/shell-quote.ts';
import { commandShell } from '../system/user-shell.ts';
import type { Served } from './acme/manager.ts';
import { writeCaBundle } from './env-lines.ts';

/** The directory of the default settings (port 14000, as pebble's): the example in messages. */
export const defaultDirectoryUrl = 'https://127.0.0.1:14000/directory';

export function clientSnippets(
  ca: { certFile: string },
  options: { dataDir: string; env: NodeJS.ProcessEnv; served: Served; name: string },
): ClientSnippet[] {
  const { dialect } = commandShell(options.env);
  return acmeClientSnippets({
    ...options.served,
    rootFile: ca.certFile,
    bundleFile: writeCaBundle(options.dataDir, readFileSync(ca.certFile, 'utf8')),
    name: options.name,
    render: (command) => envCommandLine(command.env, command.argv, dialect),
  });
}
