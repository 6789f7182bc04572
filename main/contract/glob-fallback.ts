// import.meta.glob for plain Node. Vite and the build's glob plugin (build/glob-plugin.ts) replace every eager
// glob call with the modules it names; Node running the TypeScript
// sources directly (a worker thread or a child process under the tests) has no import.meta.glob, so there the
// same pattern is walked on disk and each file required (Node loads ES modules synchronously with require).
// Node's modules are reached through process.getBuiltinModule, so the renderer's bundle, which never gets here,
// imports nothing of Node.

/**
 * The files `pattern` names (relative to `base`, the caller's import.meta.url; one `*` per path segment matches any
 * part of a name), keyed as Vite keys them.
 */
export function globOnDisk<T>(base: string, pattern: string, exportName: string): Record<string, T> {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!get) throw new Error(`the glob ${pattern} was not bundled, and there is no Node to read it from disk`);
  // The few members used, typed here: the contract imports nothing of Node, not even its types.
  const fs = get('node:fs') as {
    existsSync(file: string): boolean;
    readdirSync(dir: string): string[];
    statSync(file: string, options?: { throwIfNoEntry: false }): { isDirectory(): boolean; isFile(): boolean } | undefined;
  };
  const path = get('node:path') as { dirname(file: string): string; join(...parts: string[]): string };
  const { fileURLToPath } = get('node:url') as { fileURLToPath(url: string): string };
  const { createRequire } = get('node:module') as { createRequire(from: string): (id: string) => unknown };
  const require = createRequire(base);
  const from = path.dirname(fileURLToPath(base));
  let found: { key: string; file: string }[] = [{ key: '', file: from }];
  for (const segment of pattern.split('/')) {
    const next: { key: string; file: string }[] = [];
    for (const { key, file } of found) {
      const join = (name: string) => ({ key: key ? `${key}/${name}` : name, file: path.join(file, name) });
      const star = segment.indexOf('*');
      if (star < 0) {
        if (segment === '.' || segment === '..' || fs.existsSync(path.join(file, segment))) next.push(join(segment));
        continue;
      }
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) continue;
      const [before, after] = [segment.slice(0, star), segment.slice(star + 1)];
      for (const name of fs.readdirSync(file).sort())
        if (name.length >= before.length + after.length && name.startsWith(before) && name.endsWith(after)) next.push(join(name));
    }
    found = next;
  }
  const modules: Record<string, T> = {};
  for (const { key, file } of found)
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) modules[key] = (require(file) as Record<string, T>)[exportName] as T;
  return modules;
}
