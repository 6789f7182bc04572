// A container's log, streamed: the last lines, then new ones as they come. Kept to a bounded tail.
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context.tsx';

const keepChars = 400_000;

interface Line {
  stream: 'stdout' | 'stderr';
  text: string;
}

export function LogPane({ container, command, onClose }: { container: string; command: string; onClose(): void }) {
  const api = useApi();
  const [chunks, setChunks] = useState<Line[]>([]);
  const [state, setState] = useState<'following' | 'ended' | string>('following');
  const preRef = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setChunks([]);
    setState('following');
    let pending: Line[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setChunks((list) => {
        const next = [...list, ...batch];
        let size = next.reduce((n, c) => n + c.text.length, 0);
        while (size > keepChars && next.length > 1) size -= next.shift()!.text.length;
        return next;
      });
    };
    return api.docker.logs(
      { container, tail: 200, follow: true },
      {
        next: (chunk) => {
          pending.push(chunk);
          frame ||= requestAnimationFrame(flush);
        },
        complete: () => setState('ended'),
        error: (error) => setState(error.message),
      },
    );
  }, [api, container]);

  useEffect(() => {
    const pre = preRef.current;
    if (pre && pre.scrollHeight - pre.scrollTop - pre.clientHeight < 80) pre.scrollTop = pre.scrollHeight;
  }, [chunks]);

  return (
    <div className="card log-pane" aria-label={`Logs of ${container}`}>
      <div className="log-header">
        <h2>Logs · {container}</h2>
        <code className="muted">{command}</code>
        <span className="muted small">{state === 'following' ? 'following…' : state === 'ended' ? 'the container stopped' : state}</span>
        <button type="button" className="icon-button" aria-label="Close logs" onClick={onClose}>
          ×
        </button>
      </div>
      <pre className="log-text mono" ref={preRef}>
        {chunks.map((c, i) => (
          <span key={i} className={c.stream === 'stderr' ? 'log-stderr' : undefined}>
            {c.text}
          </span>
        ))}
      </pre>
    </div>
  );
}
