/**
 * The sha256 of a file's bytes: how the journal recognises a file it has already loaded,
 * whatever its name or date.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Read size: large enough for few calls, small enough to be nothing beside a load. */
const CHUNK = 1024 * 1024;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    // One buffer, reused: a stream allocates a new one per chunk, and 200 MB of those piled up
    // outside the JS heap (where the collector does not feel them) raised a load's peak memory.
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
