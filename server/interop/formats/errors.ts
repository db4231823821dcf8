/** The 400s a reader throws: the message names the file's problem, param is 'file' (or 'encoding'/'format'). */
import { HttpError } from '../../http/errors.ts';

/** 400 'invalid_file': the bytes are not what the format says (bad JSON, no .shp in the zip, …). */
export const invalidFile = (message: string, param = 'file') => new HttpError(400, 'invalid_file', message, param);
/** 400 'unsafe_archive': a zip entry that could escape, link or explode. */
export const unsafeArchive = (message: string) => new HttpError(400, 'unsafe_archive', message, 'file');
/** 400 'unsafe_xml': a DOCTYPE or ENTITY in XML (entity expansion is never allowed). */
export const unsafeXml = (message: string) => new HttpError(400, 'unsafe_xml', message, 'file');
/** 400 'invalid_coordinates': NaN, Infinity or a non-number, with the feature index. */
export const invalidCoordinates = (message: string) => new HttpError(400, 'invalid_coordinates', message, 'file');
