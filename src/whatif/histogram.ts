// The risk histogram as a picture: SVG (with labels) for browsers and reports, PNG (bars, axis, zero line and
// deterministic marker, labels) for the workbook, since XLSX embeds only raster images: the SVG rendered by resvg.
import { Resvg } from '@resvg/resvg-js';
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
/**
 * The same chart as a PNG (1600×840, labels included), rendered from the SVG by resvg, for the workbook (XLSX embeds
 * only raster images). Text uses the machine's fonts, Noto Sans CJK SC first (resvg falls back to any installed font
 * that has the characters); on a machine without fonts the bars and axes are still drawn.
 */
export function histogramPng(r: RiskResult): Buffer {
  const svg = histogramSvg(r);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: W * 2 },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: CJK_SANS, sansSerifFamily: CJK_SANS },
  });
  return resvg.render().asPng();
}

const CJK_SANS = 'Noto Sans CJK SC';
