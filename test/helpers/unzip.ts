// A zip file read by hand for tests (central directory, stored or deflated entries): the parts of a workbook, and
// what the file says about each, so a test can check our zip writer's headers as well as the content.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipPart {
  readonly content: Buffer;
  readonly method: number;
  readonly crc: number; // as the central directory records it
  readonly compressed: number;
  readonly size: number;
  readonly centralSignature: number; // 0x02014b50
  readonly localSignature: number; // 0x04034b50
  /** The data descriptor after the data, when there is one: [signature, crc, compressed, size]. */
  readonly descriptor: readonly number[];
}

export function zipParts(file: string): Map<string, ZipPart> {
  const b = readFileSync(file);
  let eocd = b.length - 22;
  while (eocd >= 0 && b.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const parts = new Map<string, ZipPart>();
  let p = b.readUInt32LE(eocd + 16);
  for (let n = b.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = b.readUInt16LE(p + 10);
    const compressed = b.readUInt32LE(p + 20);
    const nameLength = b.readUInt16LE(p + 28);
    const local = b.readUInt32LE(p + 42);
    const name = b.toString('utf8', p + 46, p + 46 + nameLength);
    const data = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(data, data + compressed);
    const after = data + compressed;
    parts.set(name, {
      content: method === 0 ? Buffer.from(raw) : inflateRawSync(raw),
      method,
      crc: b.readUInt32LE(p + 16),
      compressed,
      size: b.readUInt32LE(p + 24),
      centralSignature: b.readUInt32LE(p),
      localSignature: b.readUInt32LE(local),
      descriptor: after + 16 <= b.length ? [0, 4, 8, 12].map((o) => b.readUInt32LE(after + o)) : [],
    });
    p += 46 + nameLength + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  return parts;
}

/** The parts' contents, each checked against its recorded size. */
export function unzip(file: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [name, part] of zipParts(file)) {
    if (part.content.length !== part.size) throw new Error(`zip entry ${name}: ${part.content.length} bytes, expected ${part.size}`);
    out.set(name, part.content);
  }
  return out;
}
