// The claims importer (结算明细导入): CSV (UTF-8 / GB18030) and XLSX, Chinese or canonical headers, streamed.
export { openClaimFiles, normalizeEncoding, type ClaimFile, type ImportOptions } from './importer.js';
export { loadMapping, parseMapping } from './mapping.js';
export { prestartReaderThread } from './csvThread.js';
export { writeErrorReport, errorReportText, REPORT_HEADER } from './report.js';
export { COLUMNS, type Column, type ColumnMapping } from './columns.js';
export type { ClaimScan, ClaimSource, ClaimVisitor, RowRef } from './source.js';
export { arraySource } from './source.js';
