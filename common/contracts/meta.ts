/** Health, client configuration and the error body every route answers with. */
import { z } from 'zod';

export const ApiError = z
  .object({
    error: z.looseObject({ code: z.string(), message: z.string(), param: z.string().optional() }),
  })
  .meta({
    id: 'ApiError',
    description:
      'Every error: a code, a message naming the problem, the parameter at fault; some errors add details such as the current state.',
  });
export type ApiError = z.infer<typeof ApiError>;

export const Health = z
  .object({
    status: z.literal('ok'),
    db: z.enum(['embedded', 'server']),
    postgis: z.string(),
    /** True when the loaded data is the synthetic demo district. */
    demo: z.boolean(),
    /** With DATABASE_READ_URL: whether public reads go to the replica now (down: to the primary). */
    readReplica: z.enum(['up', 'down']).optional(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;

export const ClientConfig = z
  .object({ basemapStyleUrl: z.string().nullable(), demo: z.boolean() })
  .meta({ id: 'ClientConfig', description: 'What the client needs at start' });
export type ClientConfig = z.infer<typeof ClientConfig>;
