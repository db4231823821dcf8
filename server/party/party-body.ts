/** The path parameter of the party organisation routes (the bodies are in common/contracts/party.ts). */
import { PARTY_ORG_CODE } from '../../common/contracts/party.ts';
import { badRequest } from '../http/errors.ts';

export function parseOrgCode(value: unknown): string {
  if (typeof value !== 'string' || !PARTY_ORG_CODE.test(value))
    throw badRequest('code', 'code must be letters, digits, _ or - (at most 40)');
  return value;
}
