// The workbook's zip file, written here instead of by archiver (the zip exceljs's streaming writer uses): exceljs
// still renders every part (it calls `append` and `finalize` as it would on archiver), but the deflate, the CRC and
// the file writes happen on one worker thread, while the main thread goes on building rows. Through archiver the
// 0.8 GB claim sheet of 1M claims cost ≈ 12 s on the main thread (a JavaScript CRC-32, 16 KiB round trips between
// deflate on the thread pool and the main thread, readable-stream queues) for ≈ 5 s of deflate; and as archiver's
// queue cannot hold back the synchronous claim scan, the rows had to be spooled to disk first and copied back.
//
// The main thread gathers each entry's bytes into blocks of 1 MiB and hands every full block to the worker (the
// memory moves, nothing is copied). The worker deflates the blocks in order into one deflate stream per entry, as
// pigz writes it: every block but the last ends with a sync flush (an empty stored block, byte-aligned, not final),
// the last with a final block; each block is compressed on its own (at 1 MiB, no dictionary carried over costs about
// 0.4 % of size). Block boundaries are fixed byte offsets, so the same content gives the same bytes. When
// `MAX_QUEUED` blocks wait for the worker, the main thread waits for it (Atomics.wait): memory stays bounded however
// fast the rows come. One worker: the machine this is made for has two cores, one for the rows, one for the zip.
//
// The layout is archiver's (local header flagged for a data descriptor, descriptor after the data, central
// directory), without ZIP64: an entry or a file past 4 GiB, or more than 65,535 entries, is an error. Every entry is
// dated `date` (the workbook's own date, in UTC fields), so the same content gives the same file.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Uncompressed bytes per deflate block. */
const BLOCK = 1 << 20;
/** Blocks handed to the worker and not yet written, beyond which the main thread waits. */
const MAX_QUEUED = 16;
/** A worker that takes no block for this long has stopped (it cannot say so itself if it died). */
const STALL_SECONDS = 120;

/**
 * Shared with the worker: blocks queued for it; its state (0 working, 1 failed, 2 closed); from byte 12 on, the length
 * and UTF-8 text of its error, so the main thread can throw it at once.
 */
const QUEUED = 0;
const STATE = 1;
const SHARED_BYTES = 16 + 1024;

/**
 * The worker (plain CommonJS, run with `eval`: it needs no build step, so the same code runs from the compiled CLI
 * and from the tests' TypeScript). Messages, in order: entry {name, utf8} — a local header; block {data, len, final}
 * — deflated and written (`final` ends the entry with its descriptor); close — the central directory, then the file
 * is closed; abort — the file is closed. The worker opens the file and closes it in every case.
 */
const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, writeSync } = require('node:fs');
const zlib = require('node:zlib');
const { path, level, dosTime, dosDate, shared } = workerData;
const counters = new Int32Array(shared);
const LIMIT = 0xffffffff;
let position = 0;
let fd = -1;
let open = false;
const entries = [];
let current;
function within32(v, what) {
  if (v > LIMIT) throw new Error('workbook zip: ' + what + ' beyond 4 GiB (no ZIP64); put fewer claims in one workbook');
  return v;
}
function put(buf) {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
  position += buf.length;
}
function closeFile() {
  if (open) { open = false; closeSync(fd); }
}
const flags = (e) => 0x0008 | (e.utf8 ? 0x0800 : 0); // sizes in a data descriptor; UTF-8 name
function begin(m) {
  const name = Buffer.from(m.name, 'utf8');
  if (entries.length >= 0xffff) throw new Error('workbook zip: more than 65,535 parts');
  current = { name, utf8: m.utf8, crc: 0, size: 0, compressed: 0, offset: within32(position, 'the file') };
  entries.push(current);
  const b = Buffer.alloc(30 + name.length);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4); // version needed: deflate
  b.writeUInt16LE(flags(current), 6);
  b.writeUInt16LE(8, 8); // deflate
  b.writeUInt16LE(dosTime, 10);
  b.writeUInt16LE(dosDate, 12);
  b.writeUInt16LE(name.length, 26); // crc and sizes stay 0 here: they follow the data
  name.copy(b, 30);
  put(b);
}
function block(m) {
  const e = current;
  const data = m.data === undefined ? Buffer.alloc(0) : Buffer.from(m.data, 0, m.len);
  e.crc = zlib.crc32(data, e.crc);
  e.size += data.length;
  const out = zlib.deflateRawSync(data, {
    level,
    finishFlush: m.final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
    chunkSize: data.length + 65536,
  });
  e.compressed += out.length;
  put(out);
  if (!m.final) return;
  const d = Buffer.alloc(16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(e.crc >>> 0, 4);
  d.writeUInt32LE(within32(e.compressed, e.name + ' compressed'), 8);
  d.writeUInt32LE(within32(e.size, String(e.name)), 12);
  put(d);
  current = undefined;
}
function close() {
  const start = within32(position, 'the file');
  for (const e of entries) {
    const b = Buffer.alloc(46 + e.name.length);
    b.writeUInt32LE(0x02014b50, 0);
    b.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5 (as archiver)
    b.writeUInt16LE(20, 6);
    b.writeUInt16LE(flags(e), 8);
    b.writeUInt16LE(8, 10);
    b.writeUInt16LE(dosTime, 12);
    b.writeUInt16LE(dosDate, 14);
    b.writeUInt32LE(e.crc >>> 0, 16);
    b.writeUInt32LE(e.compressed, 20);
    b.writeUInt32LE(e.size, 24);
    b.writeUInt16LE(e.name.length, 28);
    b.writeUInt32LE(((0o100644 << 16) | 0x20) >>> 0, 38); // a regular file, rw-r--r--; archive bit
    b.writeUInt32LE(e.offset, 42);
    e.name.copy(b, 46);
    put(b);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(within32(position - start, 'the central directory'), 12);
  end.writeUInt32LE(start, 16);
  put(end);
  closeFile();
}
function failed(e) {
  try { closeFile(); } catch {}
  const text = Buffer.from(String((e && e.message) || e), 'utf8').subarray(0, 1024);
  text.copy(Buffer.from(shared, 16));
  counters[3] = text.length;
  Atomics.store(counters, 1, 1);
  parentPort.postMessage({ failed: true });
}
try {
  fd = openSync(path, 'w');
  open = true;
} catch (e) {
  failed(e);
}
parentPort.on('message', (m) => {
  if (Atomics.load(counters, 1) !== 0) {
    parentPort.close(); // failed or closed before: nothing more to do (this ends the worker)
    return;
  }
  try {
    if (m.op === 'entry') begin(m);
    else if (m.op === 'block') block(m);
    else if (m.op === 'close') { close(); Atomics.store(counters, 1, 2); parentPort.postMessage({ done: true }); }
    else if (m.op === 'abort') { closeFile(); Atomics.store(counters, 1, 2); }
  } catch (e) {
    failed(e);
  } finally {
    if (m.op === 'block') Atomics.sub(counters, 0, 1);
    Atomics.notify(counters, 0);
    if (Atomics.load(counters, 1) !== 0) parentPort.close();
  }
});
`;

/** One part of the zip, fed with data in order; handed to the worker when the parts before it are done. */
class Entry {
  /** The block being filled, and how much of it is. */
  block: Buffer | undefined;
  used = 0;
  /** Data that came before the entry's turn (exceljs opens a few streams early). */
  early: Buffer[] | undefined = [];
  ended = false;
  constructor(readonly name: string) {}
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
  private readonly worker: Worker;
  private readonly counters = new Int32Array(new SharedArrayBuffer(SHARED_BYTES));
  private readonly entries: Entry[] = [];
  private readonly sinks = new WeakMap<object, Entry>();
  /** The entry being written (entries.length when all are done). */
  private current = 0;
  private finalizing = false;
  private closing = false;
  private error: Error | undefined;
  private readonly exited: Promise<void>;

  /** `level`: zlib's deflate level; `date`: every entry's modification time (UTC fields). */
  constructor(
    readonly path: string,
    options: { readonly level: number; readonly date: Date },
  ) {
    super();
    const d = options.date;
    const dosTime = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
    const dosDate = ((Math.max(1980, d.getUTCFullYear()) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, level: options.level, dosTime, dosDate, shared: this.counters.buffer } });
    this.worker.on('message', (m: { done?: boolean; failed?: boolean }) => {
      if (m.failed) this.fail(this.workerError());
      else if (m.done) this.emit('finish');
    });
    this.worker.on('error', (e) => this.fail(e));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** archiver's `append`: a string, a Buffer or a stream (exceljs's StreamBuf) as the entry `name`. */
  append(source: string | Buffer | Source, data: { readonly name: string; readonly base64?: boolean }): this {
    const entry = new Entry(data.name.replace(/^(\.\.\/|\/)+/, '')); // as archiver sanitizes it
    this.entries.push(entry);
    if (this.entries.length - 1 === this.current) this.begin(entry);
    if (typeof source === 'string') {
      this.data(entry, Buffer.from(source, data.base64 ? 'base64' : 'utf8'));
      this.end(entry);
    } else if (Buffer.isBuffer(source)) {
      this.data(entry, source);
      this.end(entry);
    } else {
      this.sinks.set(source, entry);
      source.pipe(new EntrySink(this, entry));
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
   * Writes a byte string (one character per byte, e.g. UTF-8 bytes held as latin1: the claim rows) into an entry
   * directly, no Buffer per call. The entry must be the one being written, with nothing of its stream held back.
   * Throws once the zip has failed.
   */
  writeLatin1(entry: Entry, text: string): void {
    this.check();
    if (this.entries[this.current] !== entry || entry.ended) throw new Error('workbook zip: direct write to an entry that is not being written');
    let from = 0;
    for (;;) {
      const block = (entry.block ??= Buffer.allocUnsafe(BLOCK));
      const part = from === 0 ? text : text.slice(from);
      const n = block.write(part, entry.used, 'latin1');
      entry.used += n;
      if (n === part.length) return;
      from += n;
      this.submit(entry, false);
      this.check();
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
      const block = (entry.block ??= Buffer.allocUnsafe(BLOCK));
      const n = buf.copy(block, entry.used, from);
      entry.used += n;
      from += n;
      if (entry.used === BLOCK) {
        this.submit(entry, false);
        if (this.error !== undefined) return;
      }
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

  /** Stops: nothing more is written, the file is closed (the caller removes it) and the worker has ended. */
  async abort(): Promise<void> {
    if (this.error === undefined) this.error = new Error('workbook zip aborted');
    this.worker.postMessage({ op: 'abort' });
    await this.exited;
  }

  private check(): void {
    if (this.error === undefined && Atomics.load(this.counters, STATE) === 1) this.error = this.workerError();
    if (this.error !== undefined) throw this.error;
  }

  private workerError(): Error {
    const length = this.counters[3];
    return new Error(`workbook zip: ${Buffer.from(this.counters.buffer, 16, length).toString('utf8')}`);
  }

  private begin(entry: Entry): void {
    this.worker.postMessage({ op: 'entry', name: entry.name, utf8: /[^\x00-\x7f]/.test(entry.name) });
    const early = entry.early ?? [];
    entry.early = undefined;
    for (const b of early) this.data(entry, b);
  }

  /** The current entry has ended: its last block; then the next entry's turn. */
  private next(): void {
    for (;;) {
      const entry = this.entries[this.current];
      if (entry === undefined || !entry.ended) break;
      this.submit(entry, true);
      this.current += 1;
      const following = this.entries[this.current];
      if (following !== undefined) this.begin(following);
    }
    this.maybeClose();
  }

  /** Hands the entry's block to the worker (waiting while it has `MAX_QUEUED` already). */
  private submit(entry: Entry, final: boolean): void {
    if (this.error !== undefined) return;
    let stalled = 0;
    for (;;) {
      const queued = Atomics.load(this.counters, QUEUED);
      if (queued < MAX_QUEUED || Atomics.load(this.counters, STATE) !== 0) break;
      if (Atomics.wait(this.counters, QUEUED, queued, 1000) !== 'timed-out') stalled = 0;
      else if (++stalled === STALL_SECONDS) {
        this.error ??= new Error(`workbook zip: the zip worker took no block for ${STALL_SECONDS} s`);
        return;
      }
    }
    if (Atomics.load(this.counters, STATE) === 1) {
      this.error ??= this.workerError(); // thrown at the next direct write, or emitted by finalize
      return;
    }
    const block = entry.block;
    Atomics.add(this.counters, QUEUED, 1);
    if (block === undefined) this.worker.postMessage({ op: 'block', len: 0, final });
    else this.worker.postMessage({ op: 'block', data: block.buffer, len: entry.used, final }, [block.buffer as ArrayBuffer]);
    entry.block = undefined;
    entry.used = 0;
  }

  private maybeClose(): void {
    if (this.closing || !this.finalizing || this.error !== undefined || this.current < this.entries.length) return;
    this.closing = true;
    this.worker.postMessage({ op: 'close' });
  }

  private fail(e: Error): void {
    this.error ??= e;
    if (this.finalizing) process.nextTick(() => this.emit('error', this.error));
  }
}
