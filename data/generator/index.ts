/** The deterministic demo-district generator: `generateDistrict()` models 安次区. */
export { generateDistrict, countRows, ANCI_OPTIONS, type DistrictOptions } from './district.ts';
export { traceCells } from './trace-boundary.ts';
export { createRng, type Rng } from './prng.ts';
export { SIX_SERVICES } from './stations.ts';
export type * from './types.ts';
