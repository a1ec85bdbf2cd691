// `portico convert`: the old tools whose configuration Portico can take over (SPEC §1). Each
// converter is a pure function from the file's text to portico.yaml text.
import { ConvertError } from './errors.js';
import { convertNewApiProxy } from './new-api-proxy.js';
import { convertSingleEndpointRouter } from './single-endpoint-router.js';

export { ConvertError, type ConvertErrorCode } from './errors.js';
export { convertNewApiProxy } from './new-api-proxy.js';
export { convertSingleEndpointRouter } from './single-endpoint-router.js';

/** `source` names the input in error messages (usually its path). */
export type Converter = (text: string, source?: string) => string;

export const CONVERTERS = {
  'new-api-proxy': convertNewApiProxy,
  'single-endpoint-router': convertSingleEndpointRouter,
} as const satisfies Record<string, Converter>;

export type ConvertFormat = keyof typeof CONVERTERS;
export const CONVERT_FORMATS = Object.keys(CONVERTERS) as ConvertFormat[];

export function converterFor(format: string): Converter {
  if (Object.hasOwn(CONVERTERS, format)) return CONVERTERS[format as ConvertFormat];
  throw new ConvertError('UNKNOWN_FORMAT', `unknown format "${format}" for --from; supported formats: ${CONVERT_FORMATS.join(', ')}`);
}
