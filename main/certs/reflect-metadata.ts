// @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load without the
// Reflect metadata API. x509 never reads real decorator metadata, so this minimal store is enough;
// a real polyfill (reflect-metadata), if one is loaded first, is left alone. Import before @peculiar/x509.
type Store = Map<unknown, unknown>;
const stores = new WeakMap<object, Store>();

function own(target: object, create: boolean): Store | undefined {
  let store = stores.get(target);
  if (!store && create) stores.set(target, (store = new Map()));
  return store;
}

function lookup(key: unknown, target: object): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
    const store = own(t, false);
    if (store?.has(key)) return store.get(key);
  }
  return undefined;
}

const api = {
  defineMetadata: (key: unknown, value: unknown, target: object) => void own(target, true)!.set(key, value),
  getOwnMetadata: (key: unknown, target: object) => own(target, false)?.get(key),
  getMetadata: lookup,
  hasMetadata: (key: unknown, target: object) => lookup(key, target) !== undefined,
  metadata: (key: unknown, value: unknown) => (target: object) => void own(target, true)!.set(key, value),
};

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') Object.assign(reflect, api);
