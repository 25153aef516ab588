// A growable bitmap over player numbers with Redis's bit order: bit n is in byte n >> 3, most
// significant bit first, so the bytes of a Redis bitmap (GET) load as they are. One segment over
// 1M players takes 125 KB.

/** Growth step: bitmaps grow in whole 8 KB blocks (65,536 players) to avoid many copies. */
const BLOCK_BYTES = 8_192;

export class Bitmap {
  private data: Uint8Array;

  constructor(bytes?: Uint8Array) {
    this.data = bytes ?? new Uint8Array(0);
  }

  /** The bytes in use (a view, not a copy). */
  get bytes(): Uint8Array {
    return this.data;
  }

  get(n: number): boolean {
    const byte = n >> 3;
    return byte < this.data.length && (this.data[byte]! & (0x80 >> (n & 7))) !== 0;
  }

  set(n: number, on: boolean): void {
    const byte = n >> 3;
    if (byte >= this.data.length) {
      if (!on) return;
      this.grow(byte + 1);
    }
    if (on) this.data[byte]! |= 0x80 >> (n & 7);
    else this.data[byte]! &= ~(0x80 >> (n & 7));
  }

  /** Number of set bits. */
  count(): number {
    let total = 0;
    for (const byte of this.data) total += POPCOUNT[byte]!;
    return total;
  }

  /** Set bits in ascending order, starting at number `from`. */
  *members(from = 0): Generator<number> {
    for (let byte = from >> 3; byte < this.data.length; byte++) {
      const value = this.data[byte]!;
      if (value === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        const n = byte * 8 + bit;
        if (n >= from && (value & (0x80 >> bit)) !== 0) yield n;
      }
    }
  }

  private grow(minBytes: number): void {
    const size = Math.ceil(minBytes / BLOCK_BYTES) * BLOCK_BYTES;
    const next = new Uint8Array(size);
    next.set(this.data);
    this.data = next;
  }
}

/** A change of one player's bit. */
export interface BitChange {
  readonly num: number;
  readonly on: boolean;
}

/** The bits where `wanted` differs from `current`, as the changes that turn current into it. */
export function diffBitmaps(current: Bitmap, wanted: Bitmap): BitChange[] {
  const a = current.bytes;
  const b = wanted.bytes;
  const changes: BitChange[] = [];
  const length = Math.max(a.length, b.length);
  for (let byte = 0; byte < length; byte++) {
    const x = (a[byte] ?? 0) ^ (b[byte] ?? 0);
    if (x === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      const mask = 0x80 >> bit;
      if ((x & mask) !== 0)
        changes.push({ num: byte * 8 + bit, on: ((b[byte] ?? 0) & mask) !== 0 });
    }
  }
  return changes;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, v) => {
  let bits = 0;
  for (let x = v; x > 0; x >>= 1) bits += x & 1;
  return bits;
});
