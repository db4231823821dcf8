/** Case photos (issue 18): to the reporter with their token, to staff who may read the case. */
import { numberPath, op, pathParam, queryParam, type Paths } from '../openapi.build.ts';

const photo = {
  description: 'The photo as stored: re-encoded, no EXIF (GPS included), XMP or ICC; `Cache-Control: private`',
  content: Object.fromEntries(
    ['image/jpeg', 'image/png', 'image/webp'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
  ),
};
const photoId = numberPath('id', 'Photo number (from the timeline entry’s `photos`)');

export const casePhotosPaths: Paths = {
  '/api/public/cases/{ticket}/photos/{id}': {
    get: op({
      tag: 'public',
      zh: '查看案件照片（居民）',
      en: 'A photo of the reporter’s own case (theirs or one staff attached to a transition). A wrong ticket, token or id is 404 alike, so neither tickets nor photos can be probed.',
      access: 'public',
      params: [
        pathParam('ticket', 'The ticket number', { type: 'string', examples: ['20261207-000001'] }),
        photoId,
        queryParam('token', 'The private tracking token given at reporting', { type: 'string' }, true),
      ],
      ok: { 200: photo },
      errors: [404],
    }),
  },
  '/api/cases/photos/{id}': {
    get: op({
      tag: 'cases',
      zh: '查看案件照片（工作人员）',
      en: 'A case photo for staff who may read the case (the same rule as GET /api/cases/{id}); 404 for anyone else, planners included.',
      access: 'user',
      params: [photoId],
      ok: { 200: photo },
      errors: [404],
    }),
  },
};
