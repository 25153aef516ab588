// A check on ClickHouse's CSV output while it streams through. When a query fails after its
// first rows went out, ClickHouse 18.16 still answers 200 and appends the exception text
// ("Code: 159, e.displayText() = …") to the body, which would end an export as if it were
// complete. Every cell of an export is text, which ClickHouse always quotes, so a well-formed
// body is rigid: `"cell"` separated by `,` and ended by `\n`, with `""` inside a cell for a quote.
// Anything else (the exception text) fails the check before it is passed on; the export then
// breaks off, so a failed download never looks like a finished one.
//
// The scan jumps from quote to quote with Buffer.indexOf (native memchr), so it costs little
// next to writing the bytes.

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

type State = 'open' | 'cell' | 'quote';

export class CsvStructureError extends Error {
  constructor(readonly offset: number) {
    super('ClickHouse CSV output broke off');
    this.name = 'CsvStructureError';
  }
}

export class CsvGuard {
  private state: State = 'open';
  private seen = 0;
  private lineEnded = true;
  /** Records (lines) checked so far. */
  rows = 0;

  /** Checks the next chunk; throws CsvStructureError where the structure breaks. */
  check(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < buf.length) {
      if (this.state === 'open') {
        if (buf[pos] !== QUOTE) throw new CsvStructureError(this.seen + pos);
        this.state = 'cell';
        this.lineEnded = false;
        pos += 1;
      } else if (this.state === 'cell') {
        const close = buf.indexOf(QUOTE, pos);
        if (close < 0) break;
        this.state = 'quote';
        pos = close + 1;
      } else {
        this.afterQuote(buf[pos]!, this.seen + pos);
        pos += 1;
      }
    }
    this.seen += buf.length;
  }

  /** The byte after a quote in a cell: a second quote, or the end of the cell. */
  private afterQuote(byte: number, offset: number): void {
    if (byte === QUOTE) this.state = 'cell';
    else if (byte === COMMA) this.state = 'open';
    else if (byte === NEWLINE) {
      this.state = 'open';
      this.lineEnded = true;
      this.rows += 1;
    } else throw new CsvStructureError(offset);
  }

  /** Throws unless the output ended after a whole record (or held none). */
  end(): void {
    if (this.state === 'quote' || !this.lineEnded) throw new CsvStructureError(this.seen);
  }
}

/** Passes the chunks on after checking them; throws at the first chunk that breaks. */
export async function* guarded(
  source: AsyncIterable<Uint8Array>,
  guard = new CsvGuard(),
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    guard.check(chunk);
    yield chunk;
  }
  guard.end();
}
