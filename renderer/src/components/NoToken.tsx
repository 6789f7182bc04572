// Under `lanyard serve`, a tab opened without the printed URL has no token: say how to get in.
export function NoToken() {
  return (
    <main className="no-token">
      <h1>Lanyard needs its token</h1>
      <p>
        This page was opened without the token that <span className="mono">lanyard serve</span> printed. Open the exact URL it printed (the
        part after <span className="mono">#token=</span> stays in your browser and is never sent over the network).
      </p>
    </main>
  );
}
