/** Interoperability (issue 7): import and export of the formats offices have. */
import { z } from 'zod';

import { IMPORT_FORMATS, INTEROP_LAYERS } from '../rules/interop-layers.ts';

export const InteropLayer = z.enum(INTEROP_LAYERS);
export type InteropLayer = z.infer<typeof InteropLayer>;

/**
 * A coordinate system as the API names it: 'EPSG:4326' (WGS84), 'EPSG:4490' (CGCS2000
 * geographic), 'EPSG:4513'…'EPSG:4554' (CGCS2000 3-degree Gauss–Krüger, with or without the
 * zone prefix in the easting), 'GCJ-02' and 'BD-09' (Chinese web-map offsets). Inputs also
 * accept 'wgs84', 'cgcs2000', 'gcj02', 'bd09' and a bare EPSG number.
 */
export type CrsName = string;

/** One field of a layer, for the attribute-mapping step of the import dialog. */
export const LayerField = z
  .object({
    name: z.string(),
    required: z.boolean(),
    type: z.enum(['text', 'integer', 'number', 'boolean', 'text[]', 'enum']),
    values: z.array(z.string()).readonly().optional(),
    zh: z.string(),
    en: z.string(),
  })
  .meta({ id: 'LayerField', description: 'One field of a layer for the mapping step' });
export type LayerField = z.infer<typeof LayerField>;

/**
 * POST /api/import (multipart/form-data): `file`, `layer`, and optionally `format` (else from
 * the file name), `crs`, `encoding` (Shapefile/CSV text: utf-8, gbk, gb18030, …), `mapping`
 * (JSON: layer field → file column; remembered per layer), `region` (the region the import
 * replaces or is limited to; required for roads), `commit` ('1' to write; otherwise a dry run),
 * and for grids `acceptProblems` ('1': an admin imports them as they are, problems and all,
 * flagged; `reason` is then required to commit).
 */
export const ImportReport = z
  .object({
    layer: InteropLayer,
    format: z.enum(IMPORT_FORMATS),
    /** The coordinate system read, and where it came from. */
    crs: z.object({ name: z.string(), source: z.enum(['prj', 'file', 'declared', 'default']) }).nullable(),
    encoding: z.string().nullable(),
    /** The file's columns, and the mapping used (layer field → column). */
    columns: z.array(z.string()),
    mapping: z.record(z.string(), z.string()),
    features: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    /** Features that cannot be imported, with the reason; any of these blocks a commit. */
    invalid: z.array(
      z.object({
        index: z.number().int(),
        code: z.string().optional(),
        field: z.string().optional(),
        reason: z.string(),
      }),
    ),
    /** Grids only: the validation problems the import would bring (new ones, not those already there). */
    topology: z
      .object({
        problems: z.number().int(),
        byKind: z.record(z.string(), z.number()),
        /** Up to 20 of them; `message` is for logs and the command line, the names are for people. */
        sample: z.array(
          z.object({
            kind: z.string(),
            grids: z.array(z.string()),
            message: z.string(),
            /** The names of `grids`, in the same order. */
            grid_names: z.array(z.string()).optional(),
            community: z.string().optional(),
            community_name: z.string().optional(),
            areaM2: z.number().optional(),
          }),
        ),
      })
      .nullable(),
    warnings: z.array(z.string()),
    committed: z.boolean(),
    /**
     * Grids imported as they are (acceptProblems, admin only; issue 15): the reason, and after a
     * commit the changesets (one per street) that keep the accepted problems. Absent otherwise.
     */
    asIs: z.object({ reason: z.string().nullable(), changesets: z.array(z.number().int()) }).optional(),
  })
  .meta({ id: 'ImportReport', description: 'What the import would do (dry run) or did (commit)' });
export type ImportReport = z.infer<typeof ImportReport>;

/** GET /api/import/fields?layer=: the fields and the remembered mapping. */
export const ImportFieldsResponse = z
  .object({ layer: InteropLayer, fields: z.array(LayerField), mapping: z.record(z.string(), z.string()) })
  .meta({
    id: 'ImportFieldsResponse',
    description: "The layer's fields and the mapping remembered from the last import",
  });
export type ImportFieldsResponse = z.infer<typeof ImportFieldsResponse>;
