// `lanyard hep listen`: the HEP receiver alone (Kamailio, OpenSIPS, FreeSWITCH, captagent), on tzsp listen's code.
import { UsageError, type CommandModule } from '../../system/command-line.ts';
import { listen } from './tzsp.ts';

export const run: CommandModule['run'] = async (args, context) => {
  const [sub, ...rest] = args;
  if (sub !== 'listen') throw new UsageError(sub ? `unknown hep command "${sub}" (listen)` : 'hep needs a command: listen');
  return listen(rest, context, 'hep');
};
