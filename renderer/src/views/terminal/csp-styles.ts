// The renderer's CSP allows no inline <style> (style-src 'self'), but xterm's DOM renderer writes its theme
// and cell metrics into <style> elements it creates. Constructed stylesheets are not inline styles under
// CSP, so `document.createElement('style')` hands out a hidden stand-in element instead, whose text is kept
// in a constructed sheet adopted by the document. (Any real <style> would be blocked by the CSP anyway.)
const sheets = new Map<HTMLElement, CSSStyleSheet>();
let installed = false;

function adopt(element: HTMLElement): void {
  const sheet = new CSSStyleSheet();
  sheets.set(element, sheet);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const sync = () => sheet.replaceSync(element.textContent ?? '');
  new MutationObserver(sync).observe(element, { childList: true, characterData: true, subtree: true });
}

export function routeStyleElementsToSheets(): void {
  if (installed) return;
  installed = true;
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function createElement(this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
    if (tagName.toLowerCase() !== 'style') return Reflect.apply(create, this, [tagName, options]) as HTMLElement;
    const standIn = Reflect.apply(create, this, ['lanyard-style', options]) as HTMLElement;
    standIn.hidden = true;
    adopt(standIn);
    return standIn;
  } as Document['createElement'];
}

/** Drop the sheets of stand-ins no longer in the page (a closed terminal's theme). */
export function pruneDetachedSheets(): void {
  for (const [element, sheet] of sheets) {
    if (element.isConnected) continue;
    sheets.delete(element);
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  }
}
