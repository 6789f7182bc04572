// navi and tldr imports, from real-looking files in a temp folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from '../../../main/host/in-process.ts';
import { parseNavi } from '../../../main/docker/import/navi.ts';
import { parseTldr, tldrCredit } from '../../../main/docker/import/tldr.ts';
import { renderCheat } from '../../../main/docker/template.ts';
import { tempDir } from '../../support/temp-dir.ts';

const naviFile = `% docker, container

# Open a shell in a container
docker exec -it <container_id> "<shell>"

# Remove an image
docker rmi <image>

# Print a container's logs since
docker logs --since <since> \\
  <all_container>

$ container_id: docker ps --format '{{.ID}}\\t{{.Names}}' --- --column 1
$ all_container: docker ps -a --format '{{.Names}}'
$ image: docker images --format '{{.Repository}}:{{.Tag}}'
$ shell: echo -e 'sh\\nbash'
`;

const tldrPage = `# docker ps

> List Docker containers.
> More information: <https://docs.docker.com/reference/cli/docker/container/ls/>.

- List currently running Docker containers:

\`docker ps\`

- List all Docker containers (running and stopped):

\`docker ps {{[-a|--all]}}\`

- Filter containers that contain a substring in their name:

\`docker ps --filter "name={{name}}"\`

- Show the logs of a container:

\`docker logs "{{container_name}}"\`
`;

describe('navi import', () => {
  it('turns placeholders typed by docker listings into typed placeholders', () => {
    const cheats = parseNavi(naviFile, 'docker');
    expect(cheats.map((c) => c.title)).toEqual(['Open a shell in a container', 'Remove an image', "Print a container's logs since"]);
    expect(cheats[0]).toMatchObject({ template: 'docker exec -it <container_id> <shell>', tags: ['docker', 'container'], danger: false });
    expect(cheats[0]!.placeholders).toEqual([
      { name: 'container_id', kind: 'container', state: 'running' },
      { name: 'shell', kind: 'text' },
    ]);
    expect(cheats[1]).toMatchObject({ danger: true, placeholders: [{ name: 'image', kind: 'image' }] });
    expect(cheats[2]).toMatchObject({ template: 'docker logs --since <since> <all_container>' });
    expect(cheats[2]!.placeholders[1]).toEqual({ name: 'all_container', kind: 'container', state: 'any' });
    expect(renderCheat(cheats[0]!, { container_id: 'x; touch pwned', shell: 'sh' }, 'sh').command).toBe(
      "docker exec -it 'x; touch pwned' sh",
    );
  });
});

describe('tldr import', () => {
  it('keeps each example, credits tldr-pages and skips what it cannot quote safely', () => {
    const cheats = parseTldr(tldrPage, 'docker-ps');
    expect(cheats.map((c) => c.template)).toEqual([
      'docker ps',
      'docker ps --all',
      'docker ps --filter "name=<name>"',
      'docker logs <container_name>',
    ]);
    expect(cheats.every((c) => c.credit === tldrCredit)).toBe(true);
    expect(cheats[3]!.placeholders).toEqual([{ name: 'container_name', kind: 'container', state: 'any', description: 'container_name' }]);
  });

  it('imports a folder into $LANYARD_HOME/cheats through the service', async () => {
    const home = tempDir();
    const pages = path.join(home, 'tldr', 'pages', 'common');
    mkdirSync(pages, { recursive: true });
    writeFileSync(path.join(pages, 'docker-ps.md'), tldrPage);
    writeFileSync(path.join(home, 'docker.cheat'), naviFile);
    const { api } = startInProcess({ env: { LANYARD_HOME: home, DOCKER_HOST: 'unix:///nonexistent.sock' } });
    const tldr = await api.docker.import({ format: 'tldr', path: path.join(home, 'tldr') });
    expect(tldr.imported).toEqual(['tldr-docker-ps-1', 'tldr-docker-ps-2', 'tldr-docker-ps-4']);
    expect(tldr.skipped[0]).toMatch(/<name> sits inside double quotes/);
    const navi = await api.docker.import({ format: 'navi', path: path.join(home, 'docker.cheat') });
    expect(navi.imported).toHaveLength(3);
    const { cheats } = await api.docker.cheats({ query: 'tldr-docker-ps' });
    expect(cheats[0]).toMatchObject({ source: 'tldr' });
    expect((await api.docker.cheats({})).cheats.find((c) => c.id === 'navi-docker-1')).toMatchObject({ source: 'navi' });
    await expect(api.docker.import({ format: 'navi', path: path.join(home, 'missing') })).rejects.toMatchObject({ code: 'not-found' });
  });
});
