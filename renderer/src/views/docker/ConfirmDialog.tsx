// Asks before something that deletes or stops things, showing the exact command it will run.
import { useEffect, useRef } from 'react';

export interface ConfirmRequest {
  title: string;
  command: string;
  action: string;
  /** What the dialog says above the command; by default that it runs it. */
  lead?: string;
  onConfirm(): void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose(): void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="palette-backdrop" role="presentation" onClick={onClose}>
      <div
        className="confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h1 id="confirm-title">{request.title}</h1>
        <p className="muted">{request.lead ?? 'This deletes or stops things and cannot be undone. It runs:'}</p>
        <pre className="command-preview mono">{request.command}</pre>
        <div className="view-actions confirm-actions">
          <button type="button" className="button" ref={cancelRef} onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button danger"
            onClick={() => {
              onClose();
              request.onConfirm();
            }}
          >
            {request.action}
          </button>
        </div>
      </div>
    </div>
  );
}
