// Synthetic claims for demos, tests and benchmarks (see generateClaims and writeClaims).
export { CLAIM_MIXES, generateClaims, MIXES, type ClaimMix, type GenerateOptions } from './claims.js';
export {
  writeClaims,
  writeClaimsCsv,
  writeClaimsXlsx,
  claimCells,
  CANONICAL_HEADERS,
  CHINESE_HEADERS,
  type ClaimsEncoding,
  type ClaimsFormat,
  type ClaimsHeaders,
  type WriteOptions,
} from './write.js';
export { encodeGb18030 } from './gb18030.js';
export { Rng } from './prng.js';
