import { useState } from 'react';
import type { InstallHint as Hint } from '../../../../main/contract/index.ts';

const platforms = [
  { key: 'debian', label: 'Debian/Ubuntu' },
  { key: 'fedora', label: 'Fedora' },
  { key: 'macos', label: 'macOS' },
  { key: 'windows', label: 'Windows' },
] as const;

function currentPlatform(): (typeof platforms)[number]['key'] {
  const ua = navigator.userAgent;
  if (/Mac OS X/.test(ua)) return 'macos';
  if (/Windows/.test(ua)) return 'windows';
  return 'debian';
}

/** The command that installs a missing tool, for this platform first, the others one click away. */
export function InstallHint({ hint }: { hint: Hint }) {
  const [platform, setPlatform] = useState(currentPlatform);
  const [copied, setCopied] = useState(false);
  const command = hint[platform];
  return (
    <div className="hint">
      <div className="hint-tabs" role="tablist" aria-label="Platform">
        {platforms.map((p) => (
          <button
            key={p.key}
            type="button"
            role="tab"
            aria-selected={p.key === platform}
            className={p.key === platform ? 'active' : undefined}
            onClick={() => setPlatform(p.key)}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div className="hint-command">
        <code>{command}</code>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void navigator.clipboard?.writeText(command).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
