/** Whether process `pid` is still running on this machine (signal 0 asks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user holds the pid, so it is not known to be gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
