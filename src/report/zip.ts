// The workbook's zip file, written here instead of by archiver (the zip exceljs's streaming writer uses): exceljs
// still renders every part (it calls `append`, `finalize` as it would on archiver), but each entry is deflated in
// blocks of 1 MiB on the thread pool, several at a time, while the main thread goes on building rows; its CRC is
// zlib's native crc32. Through archiver the 0.8 GB claim sheet of 1M claims cost ≈ 12 s (a JavaScript CRC-32, 16 KiB
// round trips between deflate and the main thread, readable-stream queues) for ≈ 5 s of deflate; and since
// archiver's queue cannot hold back the claim scan, the rows had to be spooled to disk first.
//
// The blocks of an entry form one deflate stream, as pigz writes it: every block but the last ends with a sync flush
// (an empty stored block, byte-aligned, not final), the last with a final block; each block is compressed on its own
// (no dictionary carried over: at 1 MiB a block that costs under 0.1 % of size). Block boundaries are fixed byte
// offsets, so the same content gives the same bytes whichever thread compressed which block. When `IN_FLIGHT` blocks
// are already on the thread pool, the next one is deflated on the calling thread: memory stays bounded however fast
// the rows come, and both cores work.
//
// The layout is archiver's (local header flagged for a data descriptor, descriptor after the data, central
// directory), without ZIP64: an entry or a file past 4 GiB, or more than 65,535 entries, is an error. Every entry is
// dated `date` (the workbook's own date, in UTC fields), so the same content gives the same file.
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import zlib from 'node:zlib';

/** Uncompressed bytes per deflate block. */
const BLOCK = 1 << 20;
/** Blocks on the thread pool at once (it has 4 threads; claim files are read on it too). */
const IN_FLIGHT = 3;
/** Room for one block's deflate output in one piece (deflate's bound: 5 bytes per 16 KiB stored, plus a little). */
const OUT_CHUNK = BLOCK + (64 << 10);
const LIMIT_32 = 0xffffffff;

/** One part of the zip, fed with data in order; written when the parts before it are done. */
class Entry {
  crc = 0;
  size = 0;
  compressed = 0;
  offset = 0;
  /** The block being filled, and how much of it is. */
  block: Buffer | undefined;
  used = 0;
  /** Data that came before the entry's turn (exceljs opens a few streams early). */
  early: Buffer[] | undefined = [];
  ended = false;
  constructor(
    readonly name: Buffer,
    readonly utf8Name: boolean,
  ) {}
}

/** A piece of the file in order: compressed data once deflate has it, or headers made when their turn comes. */
interface Piece {
  out?: Buffer;
  make?: () => Buffer;
  /** The entry whose compressed data this is. */
  of?: Entry;
}

/** What exceljs's StreamBuf (and a Node stream) pipes into. */
class EntrySink extends EventEmitter {
  constructor(
    private readonly zip: ZipWriter,
    readonly entry: Entry,
  ) {
    super();
  }
  write(data: Buffer | string, encoding?: BufferEncoding | (() => void), callback?: () => void): boolean {
    const buf = typeof data === 'string' ? Buffer.from(data, typeof encoding === 'string' ? encoding : 'utf8') : data;
    this.zip.data(this.entry, buf);
    const cb = typeof encoding === 'function' ? encoding : callback;
    if (cb) process.nextTick(cb);
    return true;
  }
  end(): this {
    this.zip.end(this.entry);
    return this;
  }
}

interface Source {
  pipe(destination: EntrySink): unknown;
}

export class ZipWriter extends EventEmitter {
  private fd: number;
  private position = 0;
  private readonly entries: Entry[] = [];
  private readonly sinks = new WeakMap<object, Entry>();
  /** The entry being deflated (entries.length when all are done). */
  private current = 0;
  private readonly pieces: Piece[] = [];
  private head = 0;
  private inFlight = 0;
  private readonly spare: Buffer[] = [];
  private finalizing = false;
  private finished = false;
  private error: Error | undefined;
  private readonly dosTime: number;
  private readonly dosDate: number;

  /** `level`: zlib's deflate level; `date`: every entry's modification time (UTC fields). */
  constructor(
    readonly path: string,
    private readonly options: { readonly level: number; readonly date: Date },
  ) {
    super();
    this.fd = openSync(path, 'w');
    const d = options.date;
    this.dosTime = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
    this.dosDate = ((Math.max(1980, d.getUTCFullYear()) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  }

  /** archiver's `append`: a string, a Buffer or a stream (exceljs's StreamBuf) as the entry `name`. */
  append(source: string | Buffer | Source, data: { readonly name: string; readonly base64?: boolean }): this {
    const name = data.name.replace(/^(\.\.\/|\/)+/, ''); // as archiver sanitizes it
    const entry = new Entry(Buffer.from(name, 'utf8'), /[^\x00-\x7f]/.test(name));
    if (this.entries.length >= 0xffff) this.fail(new Error('workbook zip: more than 65,535 parts'));
    this.entries.push(entry);
    if (this.entries.length - 1 === this.current) this.begin(entry);
    if (typeof source === 'string') {
      this.data(entry, Buffer.from(source, data.base64 ? 'base64' : 'utf8'));
      this.end(entry);
    } else if (Buffer.isBuffer(source)) {
      this.data(entry, source);
      this.end(entry);
    } else {
      const sink = new EntrySink(this, entry);
      this.sinks.set(source, entry);
      source.pipe(sink);
    }
    return this;
  }

  /** archiver's `file`: a file's content as the entry `name`. */
  file(path: string, data: { readonly name: string }): this {
    return this.append(readFileSync(path), data);
  }

  /** The entry a stream given to `append` feeds, for writing into it directly (see `writeLatin1`). */
  entryOf(source: object): Entry | undefined {
    return this.sinks.get(source);
  }

  /**
   * Writes a byte string (one character per byte, e.g. UTF-8 bytes held as latin1) into an entry directly: no
   * Buffer per call. The entry must be the one being deflated, with nothing of its stream still held back.
   */
  writeLatin1(entry: Entry, text: string): void {
    if (this.error !== undefined) throw this.error;
    if (this.entries[this.current] !== entry || entry.ended) throw new Error('workbook zip: direct write to an entry that is not being written');
    let from = 0;
    for (;;) {
      const block = (entry.block ??= this.blockBuffer());
      const part = from === 0 ? text : text.slice(from);
      const n = block.write(part, entry.used, 'latin1');
      entry.used += n;
      if (n === part.length) return;
      from += n;
      this.submit(entry, block, false);
    }
  }

  /** Data for an entry, in order; held until the entry's turn. */
  data(entry: Entry, buf: Buffer): void {
    if (this.error !== undefined || buf.length === 0) return;
    if (entry.early !== undefined) {
      entry.early.push(Buffer.from(buf));
      return;
    }
    let from = 0;
    while (from < buf.length) {
      const block = (entry.block ??= this.blockBuffer());
      const n = buf.copy(block, entry.used, from);
      entry.used += n;
      from += n;
      if (entry.used === block.length) this.submit(entry, block, false);
    }
  }

  end(entry: Entry): void {
    if (entry.ended) return;
    entry.ended = true;
    if (this.error === undefined && this.entries[this.current] === entry) this.next();
  }

  /** archiver's `finalize`: the central directory once every entry is written; then 'finish' (or 'error'). */
  finalize(): void {
    this.finalizing = true;
    if (this.error !== undefined) {
      const e = this.error;
      process.nextTick(() => this.emit('error', e));
      return;
    }
    this.maybeClose();
  }

  /** Stops: nothing more is written and the file is closed (the caller removes it). */
  abort(): void {
    this.fail(new Error('workbook zip aborted'));
  }

  private blockBuffer(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafe(BLOCK);
  }

  private begin(entry: Entry): void {
    this.pieces.push({ make: () => this.localHeader(entry) });
    const early = entry.early ?? [];
    entry.early = undefined;
    for (const b of early) this.data(entry, b);
  }

  /** The current entry has ended: its last block, its descriptor; then the next entry's turn. */
  private next(): void {
    for (;;) {
      const entry = this.entries[this.current];
      if (entry === undefined || !entry.ended) break;
      this.submit(entry, entry.block ?? Buffer.alloc(0), true);
      entry.block = undefined;
      this.pieces.push({ make: () => this.descriptor(entry) });
      this.current += 1;
      const following = this.entries[this.current];
      if (following !== undefined) this.begin(following);
    }
    this.flush();
    this.maybeClose();
  }

  private submit(entry: Entry, block: Buffer, final: boolean): void {
    const data = block.subarray(0, entry.used);
    entry.used = 0;
    if (!final) entry.block = undefined;
    entry.crc = zlib.crc32(data, entry.crc);
    entry.size += data.length;
    const piece: Piece = { of: entry };
    this.pieces.push(piece);
    const opts: zlib.ZlibOptions = {
      level: this.options.level,
      finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
      chunkSize: OUT_CHUNK,
    };
    const release = () => {
      if (block.length === BLOCK && this.spare.length < IN_FLIGHT + 1) this.spare.push(block);
    };
    if (this.inFlight < IN_FLIGHT) {
      this.inFlight += 1;
      zlib.deflateRaw(data, opts, (err, out) => {
        this.inFlight -= 1;
        release();
        if (err) this.fail(err);
        else {
          piece.out = out;
          this.flush();
          this.maybeClose();
        }
      });
    } else {
      try {
        piece.out = zlib.deflateRawSync(data, opts);
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      release();
      this.flush();
    }
  }

  /** Writes the pieces that are ready, in order. */
  private flush(): void {
    if (this.error !== undefined) return;
    try {
      while (this.head < this.pieces.length) {
        const piece = this.pieces[this.head];
        const buf = piece.out ?? piece.make?.();
        if (buf === undefined) break;
        this.pieces[this.head++] = {};
        if (piece.of !== undefined) piece.of.compressed += buf.length;
        let done = 0;
        while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done);
        this.position += buf.length;
      }
      if (this.head > 4096) {
        this.pieces.splice(0, this.head);
        this.head = 0;
      }
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private maybeClose(): void {
    if (!this.finalizing || this.finished || this.error !== undefined || this.current < this.entries.length) return;
    if (this.head === this.pieces.length && this.inFlight === 0) {
      this.finished = true;
      try {
        const directory = this.centralDirectory();
        writeSync(this.fd, directory);
        closeSync(this.fd);
        this.fd = -1;
      } catch (e) {
        this.finished = false;
        this.fail(e as Error);
        return;
      }
      process.nextTick(() => this.emit('finish'));
    }
  }

  private fail(e: Error): void {
    if (this.error !== undefined) return;
    this.error = e;
    this.pieces.length = 0;
    this.head = 0;
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    if (this.finalizing) process.nextTick(() => this.emit('error', e));
  }

  private flags(entry: Entry): number {
    return 0x0008 | (entry.utf8Name ? 0x0800 : 0); // sizes in a data descriptor; UTF-8 name
  }

  private within32(value: number, what: string): number {
    if (value > LIMIT_32) throw new Error(`workbook zip: ${what} beyond 4 GiB (no ZIP64); put fewer claims in one workbook`);
    return value;
  }

  private localHeader(entry: Entry): Buffer {
    entry.offset = this.within32(this.position, 'the file');
    const b = Buffer.alloc(30 + entry.name.length);
    b.writeUInt32LE(0x04034b50, 0);
    b.writeUInt16LE(20, 4); // version needed: deflate
    b.writeUInt16LE(this.flags(entry), 6);
    b.writeUInt16LE(8, 8); // deflate
    b.writeUInt16LE(this.dosTime, 10);
    b.writeUInt16LE(this.dosDate, 12);
    // crc, sizes: 0 here, in the descriptor after the data
    b.writeUInt16LE(entry.name.length, 26);
    entry.name.copy(b, 30);
    return b;
  }

  private descriptor(entry: Entry): Buffer {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(entry.crc >>> 0, 4);
    b.writeUInt32LE(this.within32(entry.compressed, `${entry.name.toString()} compressed`), 8);
    b.writeUInt32LE(this.within32(entry.size, entry.name.toString()), 12);
    return b;
  }

  private centralDirectory(): Buffer {
    const parts: Buffer[] = [];
    for (const e of this.entries) {
      const b = Buffer.alloc(46 + e.name.length);
      b.writeUInt32LE(0x02014b50, 0);
      b.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5 (as archiver)
      b.writeUInt16LE(20, 6);
      b.writeUInt16LE(this.flags(e), 8);
      b.writeUInt16LE(8, 10);
      b.writeUInt16LE(this.dosTime, 12);
      b.writeUInt16LE(this.dosDate, 14);
      b.writeUInt32LE(e.crc >>> 0, 16);
      b.writeUInt32LE(e.compressed, 20);
      b.writeUInt32LE(e.size, 24);
      b.writeUInt16LE(e.name.length, 28);
      // extra, comment, disk, internal attributes: 0
      b.writeUInt32LE(((0o100644 << 16) | 0x20) >>> 0, 38); // a regular file, rw-r--r--; archive bit
      b.writeUInt32LE(e.offset, 42);
      e.name.copy(b, 46);
      parts.push(b);
    }
    const size = parts.reduce((n, b) => n + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.within32(size, 'the central directory'), 12);
    end.writeUInt32LE(this.within32(this.position, 'the file'), 16);
    return Buffer.concat([...parts, end]);
  }
}
