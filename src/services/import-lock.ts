/**
 * One import at a time per process, for every way in (HTTP API and import page; the CLI is a
 * process of its own and waits on the database's write lock): two all-or-nothing writers would
 * only wait on each other's lock while both files sit in memory.
 */
let running = false;

export class ImportRunningError extends Error {
  constructor() {
    super("another import is running; try again when it has finished");
  }
}

/** Takes the lock or throws ImportRunningError; call the returned function to release it. */
export function takeImportLock(): () => void {
  if (running) throw new ImportRunningError();
  running = true;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running = false;
  };
}
