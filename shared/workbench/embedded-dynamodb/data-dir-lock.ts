import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { SluiceError } from '../../contract/errors.ts';

const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the table store for this process. Its log has one writer: a second process appending to
 * it would corrupt it, so refusing to start is the clear way. A lock left by a killed process is
 * taken over. Returns the release function.
 */
export function lockTableStore(directory: string): () => void {
  const file = join(directory, 'sluice-owner.pid');
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      return () => {
        if (held.delete(file)) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (held.has(file) || (owner !== process.pid && Number.isInteger(owner) && owner > 0 && isAlive(owner))) {
      const who = held.has(file) ? 'this process' : `another process (pid ${owner})`;
      throw new SluiceError('TABLE_STORE_IN_USE', `the table store ${directory} is already open in ${who}; stop it, or use another --data folder`, { permanent: true });
    }
    rmSync(file, { force: true });
  }
}
