/**
 * The contract between the console's server (server.ts) and its pages: a page is a path, a
 * title for the navigation, and a function from a request to HTML or a download. Pages only
 * read: they get a WarehouseReader, which cannot write (src/query/warehouse-reader.ts).
 */
import type { WarehouseReader } from '../query/warehouse-reader.ts';
import type { Html } from './html.ts';

export interface PageRequest {
  /** The path after the console's root, without the query string: `/runs/12`. */
  readonly path: string;
  /** The query string's parameters (`?reporter=PAK&partner=KAZ`). */
  readonly params: URLSearchParams;
  readonly reader: WarehouseReader;
  /** The warehouse's location as the user gave it (a file path or a PostgreSQL URL). */
  readonly location: string;
  /** Aborted when the browser goes away; long work should stop. */
  readonly signal: AbortSignal;
}

/** What a page answers: a page of HTML inside the console's frame, or a file to download. */
export type PageResponse =
  | { readonly kind: 'page'; readonly title: string; readonly body: Html; readonly status?: number }
  | {
      readonly kind: 'download';
      readonly fileName: string;
      readonly contentType: string;
      /** The body, streamed. */
      readonly body: AsyncIterable<Uint8Array | string>;
    };

export interface Page {
  /** The path it answers, or a prefix ending in `/` for a family (`/tables/` answers `/tables/x`). */
  readonly path: string;
  /** Shown in the navigation bar; pages without one are reached by links only. */
  readonly nav?: string;
  render(request: PageRequest): Promise<PageResponse>;
}
