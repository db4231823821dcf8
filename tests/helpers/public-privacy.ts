/** Walks a public API answer and fails on anything residents must not see. */
import { expect } from 'vitest';

const FORBIDDEN_KEY =
  /households|population|member_count|members|secretary|building|units|^id$|worker_?id|password|session/i;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

export function expectNoPrivateData(value: unknown, publishedPhones: Set<string>, path = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectNoPrivateData(v, publishedPhones, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      expect(key, `${path}.${key}`).not.toMatch(FORBIDDEN_KEY);
      expectNoPrivateData(v, publishedPhones, `${path}.${key}`);
    }
  } else if (typeof value === 'string') {
    const mobile = MOBILE.exec(value);
    if (mobile) expect(publishedPhones.has(mobile[0]), `${path}: unmasked mobile ${mobile[0]}`).toBe(true);
  }
}
