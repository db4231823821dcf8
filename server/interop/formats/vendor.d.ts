/** Types for the untyped libraries the format readers and writers use (only what we call). */
declare module 'shpjs' {
  import type { Geometry } from 'geojson';
  /** Parses .shp bytes; without a .prj string the coordinates stay as in the file. */
  export function parseShp(shp: ArrayBuffer | DataView | Uint8Array, prj?: string): (Geometry | null)[];
}

declare module 'mapshaper' {
  const mapshaper: {
    /** Runs mapshaper commands on in-memory inputs; resolves to output file name → contents. */
    applyCommands(commands: string, input?: Record<string, unknown>): Promise<Record<string, Buffer | string>>;
  };
  export default mapshaper;
}
