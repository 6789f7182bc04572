// Under `lanyard serve` the page holds the token, never a cookie (a cookie would reach every server on the host).
// It arrives in the URL fragment, which browsers never send: `#token=T`, optionally followed by `#/route`. The page
// keeps it in sessionStorage (this tab, this origin only) and takes it out of the address bar and history.
const storageKey = 'lanyard.token';
const prefix = '#token=';

function isBase64url(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95;
}

/** Split `#token=T[#/route]` in one pass: the token is base64url, the rest is the route. */
export function splitFragment(hash: string): { token: string; route: string } | null {
  if (!hash.startsWith(prefix)) return null;
  let end = prefix.length;
  while (end < hash.length && isBase64url(hash.charCodeAt(end))) end += 1;
  const token = hash.slice(prefix.length, end);
  const rest = hash.slice(end);
  return token ? { token, route: rest.startsWith('#/') ? rest : '' } : null;
}

function moveFragmentToStorage(): void {
  const fromFragment = splitFragment(location.hash);
  if (!fromFragment) return;
  sessionStorage.setItem(storageKey, fromFragment.token);
  history.replaceState(history.state, '', `${location.pathname}${location.search}${fromFragment.route}`);
}

/**
 * The token for this tab: taken from the fragment on load, then from sessionStorage. The printed URL pasted into
 * an open tab only changes the fragment; the listener (registered before the app's router) takes it out then too.
 */
export function takeServeToken(): string | null {
  moveFragmentToStorage();
  window.addEventListener('hashchange', moveFragmentToStorage);
  return sessionStorage.getItem(storageKey);
}
