// The risk histogram as a picture: SVG (with labels) for browsers and reports, PNG (bars, axis, zero line and
// deterministic marker; no text) for the workbook, since XLSX embeds only raster images. No dependencies: the PNG is
// written with node:zlib.
import { deflateSync } from 'node:zlib';
import { formatFenGrouped } from '../domain/money.js';
import type { RiskResult } from './risk.js';

const W = 800;
const H = 420;
const M = { left: 70, right: 20, top: 50, bottom: 70 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const wan = (fen: number) => `${(fen / 1_000_000).toFixed(1)}`; // 万元

interface Layout {
  readonly x: (fen: number) => number;
  readonly y: (count: number) => number;
  readonly lo: number;
  readonly hi: number;
  readonly maxCount: number;
}

function layout(r: RiskResult): Layout {
  const bins = r.histogram;
  const lo = Math.min(bins[0]?.from ?? 0, 0, r.deterministic.balance);
  const hi = Math.max(bins[bins.length - 1]?.to ?? 0, 0, r.deterministic.balance);
  const span = hi - lo || 1;
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  return {
    x: (fen) => M.left + ((fen - lo) / span) * (W - M.left - M.right),
    y: (c) => H - M.bottom - (c / maxCount) * (H - M.top - M.bottom),
    lo,
    hi,
    maxCount,
  };
}

export function histogramSvg(r: RiskResult, title = '年终结余（超支）分布 Distribution of the year-end balance X'): string {
  const L = layout(r);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  out.push(
    `<text x="${W / 2}" y="40" text-anchor="middle" fill="#555">${esc(`${r.runs} runs · seed ${r.seed} · P(超支 overrun) ${(r.pOverrun * 100).toFixed(1)}% · P(基金分担超过风险金 fund share > reserve) ${(r.pReserveExceeded * 100).toFixed(1)}%`)}</text>`,
  );
  for (const b of r.histogram) {
    const x0 = L.x(b.from);
    const x1 = Math.max(x0 + 1, L.x(b.to));
    const y = L.y(b.count);
    const fill = b.to <= 0 ? '#d9534f' : b.from >= 0 ? '#4a90d9' : '#b08fc7';
    out.push(`<rect x="${x0.toFixed(1)}" y="${y.toFixed(1)}" width="${(x1 - x0 - 0.5).toFixed(1)}" height="${(H - M.bottom - y).toFixed(1)}" fill="${fill}"><title>${esc(`${formatFenGrouped(b.from)} – ${formatFenGrouped(b.to)}: ${b.count}`)}</title></rect>`);
  }
  const axisY = H - M.bottom;
  out.push(`<line x1="${M.left}" y1="${axisY}" x2="${W - M.right}" y2="${axisY}" stroke="#333"/>`);
  out.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${axisY}" stroke="#333"/>`);
  for (let i = 0; i <= 5; i++) {
    const fen = L.lo + ((L.hi - L.lo) * i) / 5;
    const x = L.x(fen);
    out.push(`<line x1="${x.toFixed(1)}" y1="${axisY}" x2="${x.toFixed(1)}" y2="${axisY + 5}" stroke="#333"/>`);
    out.push(`<text x="${x.toFixed(1)}" y="${axisY + 18}" text-anchor="middle">${wan(fen)}</text>`);
    const c = Math.round((L.maxCount * i) / 5);
    out.push(`<text x="${M.left - 6}" y="${(L.y(c) + 4).toFixed(1)}" text-anchor="end">${c}</text>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 20}" text-anchor="middle">结余 X（万元）· balance X (10,000 yuan) — 左侧红色为超支 red: overrun</text>`);
  const zero = L.x(0);
  out.push(`<line x1="${zero.toFixed(1)}" y1="${M.top}" x2="${zero.toFixed(1)}" y2="${axisY}" stroke="#d9534f" stroke-dasharray="4 3"/>`);
  const det = L.x(r.deterministic.balance);
  out.push(`<line x1="${det.toFixed(1)}" y1="${M.top}" x2="${det.toFixed(1)}" y2="${axisY}" stroke="#222" stroke-width="2"/>`);
  out.push(`<text x="${(det + 4).toFixed(1)}" y="${M.top + 12}">${esc(`确定性结果 deterministic ${wan(r.deterministic.balance)}`)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

// ── PNG ────────────────────────────────────────────────────────────────────────────────────────────────────────
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** The histogram as a PNG (RGB, 800×420): bars coloured by sign, axes, zero line (dashed) and deterministic X. */
export function histogramPng(r: RiskResult): Buffer {
  const L = layout(r);
  const px = new Uint8Array(W * H * 3).fill(255);
  const rect = (x0: number, y0: number, x1: number, y1: number, rgb: [number, number, number]) => {
    const xa = Math.max(0, Math.round(Math.min(x0, x1)));
    const xb = Math.min(W, Math.round(Math.max(x0, x1)));
    const ya = Math.max(0, Math.round(Math.min(y0, y1)));
    const yb = Math.min(H, Math.round(Math.max(y0, y1)));
    for (let y = ya; y < yb; y++) {
      for (let x = xa; x < xb; x++) {
        const o = (y * W + x) * 3;
        px[o] = rgb[0];
        px[o + 1] = rgb[1];
        px[o + 2] = rgb[2];
      }
    }
  };
  const axisY = H - M.bottom;
  for (const b of r.histogram) {
    const x0 = L.x(b.from);
    const x1 = Math.max(x0 + 1, L.x(b.to) - 0.5);
    const colour: [number, number, number] = b.to <= 0 ? [217, 83, 79] : b.from >= 0 ? [74, 144, 217] : [176, 143, 199];
    rect(x0, L.y(b.count), x1, axisY, colour);
  }
  rect(M.left, axisY, W - M.right, axisY + 1, [51, 51, 51]);
  rect(M.left - 1, M.top, M.left, axisY, [51, 51, 51]);
  for (let i = 0; i <= 5; i++) {
    const x = L.x(L.lo + ((L.hi - L.lo) * i) / 5);
    rect(x, axisY, x + 1, axisY + 6, [51, 51, 51]);
  }
  const zero = L.x(0);
  for (let y = M.top; y < axisY; y += 7) rect(zero, y, zero + 1, y + 4, [217, 83, 79]);
  const det = L.x(r.deterministic.balance);
  rect(det - 1, M.top, det + 1, axisY, [34, 34, 34]);
  const raw = Buffer.alloc((W * 3 + 1) * H);
  for (let y = 0; y < H; y++) {
    raw[y * (W * 3 + 1)] = 0;
    Buffer.from(px.buffer, y * W * 3, W * 3).copy(raw, y * (W * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(W, 0);
  ihdr.writeUInt32BE(H, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
