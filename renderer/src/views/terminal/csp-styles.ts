// The renderer's CSP allows no inline <style> (style-src 'self'), but xterm's DOM renderer writes its theme
// and cell metrics into <style> elements it creates inside the terminal. Constructed stylesheets are not inline
// styles under CSP, so `document.createElement('style')` hands out a hidden stand-in element whose text is kept
// in a constructed sheet adopted by the document — but only while the stand-in sits inside a terminal element
// registered here. A <style> created anywhere else (a library, an injection) applies nothing: the stand-in is
// inert, and a parsed <style> is a real one, which the CSP blocks.
const sheets = new Map<HTMLElement, CSSStyleSheet>();
const terminalHosts = new WeakSet<Element>();
let installed = false;

function insideTerminal(element: HTMLElement): boolean {
  for (let node = element.parentElement; node; node = node.parentElement) if (terminalHosts.has(node)) return true;
  return false;
}

/** Mirror the stand-in's text into its own adopted sheet, created the first time it is inside a terminal. */
function watch(element: HTMLElement): void {
  const sync = () => {
    const inside = insideTerminal(element);
    let sheet = sheets.get(element);
    if (!sheet && !inside) return;
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheets.set(element, sheet);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
    sheet.replaceSync(inside ? (element.textContent ?? '') : '');
  };
  new MutationObserver(sync).observe(element, { childList: true, characterData: true, subtree: true });
}

export function routeStyleElementsToSheets(): void {
  if (installed) return;
  installed = true;
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function createElement(
    this: Document,
    tagName: string,
    options?: ElementCreationOptions,
  ): HTMLElement {
    if (tagName.toLowerCase() !== 'style') return Reflect.apply(create, this, [tagName, options]) as HTMLElement;
    const standIn = Reflect.apply(create, this, ['lanyard-style', options]) as HTMLElement;
    standIn.hidden = true;
    watch(standIn);
    return standIn;
  } as Document['createElement'];
}

/** Let xterm's style elements apply inside this terminal's element (the one handed to `term.open`). */
export function allowTerminalStylesIn(element: HTMLElement): void {
  terminalHosts.add(element);
}

/** Drop the sheets of stand-ins no longer in the page (a closed terminal's theme). */
export function pruneDetachedSheets(): void {
  for (const [element, sheet] of sheets) {
    if (element.isConnected) continue;
    sheets.delete(element);
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  }
}
