/**
 * How far a download has got: what progress displays show for a file still on its way
 * (bytes, rate, time left when the server said how large it is).
 */
export interface TransferProgress {
  /** The URL as the pipeline names it (after period placeholders are filled in). */
  readonly shown: string;
  /** Bytes received so far. */
  readonly bytes: number;
  /** The size the server announced (Content-Length), or null when it did not say. */
  readonly totalBytes: number | null;
  readonly elapsedMs: number;
}
