import { appOrigin } from './paths.ts';

/** Whether a URL is one of our own pages (app://lanyard/…): the only senders given a host port, the only navigation allowed. */
export function isOwnPage(frameUrl: string | undefined): boolean {
  if (!frameUrl?.startsWith(`${appOrigin}/`)) return false;
  try {
    const url = new URL(frameUrl);
    // Reject look-alikes such as app://lanyard/@evil or app://lanyard.evil/ that a prefix test alone might pass.
    return url.protocol === 'app:' && url.host === 'lanyard' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
