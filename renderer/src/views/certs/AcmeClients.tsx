// Each ACME client's setup for this directory (Caddy, Traefik, certbot, lego, acme.sh, Node): pick a client, read
// its snippet and notes, copy it. The text comes from the host (display/acme-clients.ts), quoted for the user's shell,
// for the name the user types (app.test until then), so what is copied needs no editing.
import { useEffect, useState } from 'react';
import type { AcmeClientSnippet } from '../../../../main/certs/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

export function AcmeClients({ url }: { url: string | null }) {
  const api = useApi();
  const notices = useNotices();
  const [snippets, setSnippets] = useState<AcmeClientSnippet[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<AcmeClientSnippet['client']>('caddy');
  const [name, setName] = useState('app.test');

  useEffect(() => {
    let live = true;
    // Typed a character at a time: ask once the typing pauses.
    const timer = setTimeout(() => {
      const wanted = name.trim();
      api.certs.acmeClients({ ...(url ? { url } : {}), ...(wanted ? { name: wanted } : {}) }).then(
        (next) => live && (setSnippets(next), setProblem(null)),
        (error: unknown) => live && setProblem(asServiceError(error).message),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, url, name]);

  const nameField = (
    <label className="certs-acme-name">
      Name <input value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} aria-label="Name for the client setup" />
    </label>
  );
  if (!snippets) return problem ? <p className="muted small">{problem}</p> : null;
  const shown = snippets.find((s) => s.client === picked) ?? snippets[0];
  if (!shown) return null;
  const copy = () =>
    void navigator.clipboard.writeText(shown.text).then(
      () => notices.showInfo(`${shown.label} setup copied`),
      () => notices.showInfo('Copying needs clipboard permission: select the text instead.'),
    );
  return (
    <section className="certs-acme-snippets" aria-label="Client setup">
      <div className="certs-acme-tabs">
        <div className="segmented" role="tablist" aria-label="ACME client">
          {snippets.map((s) => (
            <button
              key={s.client}
              type="button"
              role="tab"
              aria-selected={s.client === shown.client}
              className={s.client === shown.client ? 'active' : ''}
              onClick={() => setPicked(s.client)}
            >
              {s.label}
            </button>
          ))}
        </div>
        {nameField}
        <button type="button" className="link-button" onClick={copy}>
          copy
        </button>
      </div>
      {problem && <p className="certs-acme-problem small">{problem}</p>}
      <pre className="mono certs-acme-snippet" data-client={shown.client}>
        {shown.text}
      </pre>
      {shown.notes.map((note) => (
        <p key={note} className="muted small">
          {note}
        </p>
      ))}
    </section>
  );
}
