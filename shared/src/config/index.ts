export * from './schema.js';
export * from './load.js';
export * from './problems.js';
export * from './units.js';
export { segmentPrefix } from './semantics.js';
