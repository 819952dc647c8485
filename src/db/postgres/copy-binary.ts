/**
 * Rows in the binary format of `COPY ... FROM STDIN (format binary)`: each value as its bytes
 * in network order rather than as text. For BACI's numbers this saves the client formatting
 * every float and the server parsing it back (the largest share of a COPY's work), at the
 * price of having to match the columns' types exactly (bigint and double precision here).
 */

/** The file header: signature, flags, header extension length. */
export const BINARY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** The file trailer: a tuple of -1 fields. */
export const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

const TWO_32 = 2 ** 32;

/** Appends binary COPY tuples to a buffer that grows as needed. */
export class BinaryTuples {
  #buffer: Buffer;
  #at = 0;

  constructor(bytes: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(64, bytes));
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes));
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }

  /** Starts a tuple of `fields` values. */
  tuple(fields: number): void {
    this.#room(2);
    this.#at = this.#buffer.writeInt16BE(fields, this.#at);
  }

  /** A bigint value: a whole number within ±2^53, written as two 32-bit halves. */
  int8(value: number): void {
    this.#room(12);
    const b = this.#buffer;
    let at = b.writeInt32BE(8, this.#at);
    const high = Math.floor(value / TWO_32);
    at = b.writeInt32BE(high, at);
    this.#at = b.writeUInt32BE(value - high * TWO_32, at);
  }

  /** A double precision value; NaN is NULL, as SQLite stores it. */
  float8(value: number): void {
    if (Number.isNaN(value)) {
      this.null();
      return;
    }
    this.#room(12);
    const at = this.#buffer.writeInt32BE(8, this.#at);
    this.#at = this.#buffer.writeDoubleBE(value, at);
  }

  /** A text value, from its UTF-8 bytes. */
  bytes(utf8: Buffer): void {
    this.#room(4 + utf8.length);
    this.#at = this.#buffer.writeInt32BE(utf8.length, this.#at);
    this.#at += utf8.copy(this.#buffer, this.#at);
  }

  null(): void {
    this.#room(4);
    this.#at = this.#buffer.writeInt32BE(-1, this.#at);
  }

  /** The tuples written, as a buffer of their own. */
  take(): Buffer {
    return this.#buffer.subarray(0, this.#at);
  }
}
