/**
 * A refusal from the coordinate-system code: a system we do not read, or coordinates that cannot
 * be in the one declared. Geometry knows nothing of HTTP; server/http/errors.ts answers it as a
 * 400 on the `crs` parameter, and the command-line tools print its message.
 */
export class CrsError extends Error {
  constructor(
    /** `unknown_crs`: a name we do not read; `crs_mismatch`: positions that cannot be in the system. */
    readonly code: 'unknown_crs' | 'crs_mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'CrsError';
  }
}
