// The cheats Lanyard ships: data files in resources/cheats/, bundled into the build as JSON.
import compose from '../../resources/cheats/compose.json' with { type: 'json' };
import containers from '../../resources/cheats/containers.json' with { type: 'json' };
import images from '../../resources/cheats/images.json' with { type: 'json' };
import system from '../../resources/cheats/system.json' with { type: 'json' };
import volumesNetworks from '../../resources/cheats/volumes-networks.json' with { type: 'json' };

export const builtinCheatFiles: Record<string, unknown> = {
  'containers.json': containers,
  'images.json': images,
  'volumes-networks.json': volumesNetworks,
  'system.json': system,
  'compose.json': compose,
};
