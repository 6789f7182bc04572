// A Compose cheat on a Podman engine when no compose tool is installed: Podman 4.3 has no `podman compose`, so
// the cheat is refused with what to install, never run as `podman compose`. The Podman socket here is a plain
// loopback unix socket at the rootless place (the flavour comes from where the socket is); PATH holds no tools.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('Compose cheats on Podman without a compose tool', () => {
  const runtimeDir = tempDir();
  const server = net.createServer((socket) => socket.destroy());
  let app: InProcess;

  beforeAll(async () => {
    mkdirSync(path.join(runtimeDir, 'podman'));
    await new Promise<void>((resolve) => server.listen(path.join(runtimeDir, 'podman', 'podman.sock'), resolve));
    app = startInProcess({
      env: {
        PATH: tempDir(),
        HOME: tempDir(),
        LANYARD_HOME: tempDir(),
        DOCKER_CONFIG: tempDir(),
        XDG_RUNTIME_DIR: runtimeDir,
        SHELL: '/bin/sh',
      },
    });
    await app.api.docker.chooseEndpoint({ id: 'podman:rootless' });
  });
  afterAll(async () => {
    await app?.host.close();
    server.close();
  });

  it('says no compose tool is installed, why podman compose is not used, and what to install', async () => {
    await expect(app.api.docker.render({ id: 'compose-up', values: { folder: '/srv/shop' } })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/No Compose tool is installed.*Podman 4\.3 has no `podman compose`/),
      hint: expect.stringContaining('apt install docker-compose'),
    });
  });

  it('other cheats still render as podman', async () => {
    expect((await app.api.docker.render({ id: 'ps-all', values: {} })).command).toBe('podman ps -a');
  });
});
