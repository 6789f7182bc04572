// V8 flags the service host process is started with (by the app's utilityProcess and the soak bench alike), and its
// helper processes (helper-process.ts: the captures receiver, which now holds the packet stream, and the pty host).
// Under a steady packet stream V8 keeps doubling the young generation (semi-spaces 16 → 32 → 64 MB): each
// doubling is RSS that never comes back (+32, then +64 MB) and a scavenge pause of 100–150 ms while it happens,
// although the live heap stays ~10 MB. Capping the semi-space keeps RSS flat and scavenges short; the host's
// garbage is short-lived (per-packet objects), so the smaller nursery costs more, cheaper scavenges.
export const maxSemiSpaceMb = 4;

export const hostExecArgv: readonly string[] = [`--max-semi-space-size=${maxSemiSpaceMb}`];
