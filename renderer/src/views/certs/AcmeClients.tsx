// Each ACME client's setup for this directory (Caddy, Traefik, certbot, lego, acme.sh, Node): pick a client, read
// its snippet and notes, copy it. The text comes from the host (display/acme-clients.ts), quoted for the user's shell.
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

  useEffect(() => {
    let live = true;
    api.certs.acmeClients(url ? { url } : {}).then(
      (next) => live && (setSnippets(next), setProblem(null)),
      (error: unknown) => live && setProblem(asServiceError(error).message),
    );
    return () => {
      live = false;
    };
  }, [api, url]);

  if (problem) return <p className="muted small">{problem}</p>;
  if (!snippets) return null;
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
        <button type="button" className="link-button" onClick={copy}>
          copy
        </button>
      </div>
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
