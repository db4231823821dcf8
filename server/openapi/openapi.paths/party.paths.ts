/** Party organisations (网格党组织): the tree per community and the grids each is built on. */
import {
  PartyOrg,
  PartyOrgArea,
  PartyOrgGridsInput,
  PartyOrgInput,
  PartyOrgList,
  PartyOrgPatch,
} from '../../../common/contracts/party.ts';
import { fromZod, json, jsonBody, noContent, op, pathParam, ref, regionQuery, type Paths } from '../openapi.build.ts';

const codeParam = pathParam('code', 'Organisation code (letters, digits, _ or -)', {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,40}$',
});

export const partyPaths: Paths = {
  '/api/party-orgs': {
    get: op({
      tag: 'party',
      zh: '党组织列表',
      en: 'The party organisations of a region (all without `region`).',
      access: 'public',
      params: [regionQuery(false)],
      ok: { 200: json(ref(PartyOrgList)) },
    }),
    post: op({
      tag: 'party',
      zh: '新建党组织',
      en: "Create an organisation in a community's tree; a wrong tree (a group under a committee, a parent in another community) is refused.",
      access: 'writer',
      body: jsonBody(fromZod(PartyOrgInput)),
      ok: { 201: json(ref(PartyOrg), 'Created') },
      errors: [404, 409],
    }),
  },
  '/api/party-orgs/{code}': {
    patch: op({
      tag: 'party',
      zh: '修改党组织',
      en: 'Rename, move or change an organisation (any subset of its fields but the code).',
      access: 'writer',
      params: [codeParam],
      body: jsonBody(fromZod(PartyOrgPatch)),
      ok: { 200: json(ref(PartyOrg)) },
      errors: [404, 409],
    }),
    delete: op({
      tag: 'party',
      zh: '删除党组织',
      en: 'Delete an organisation (refused while it has children).',
      access: 'writer',
      params: [codeParam],
      ok: { 204: noContent },
      errors: [404, 409],
    }),
  },
  '/api/party-orgs/{code}/grids': {
    put: op({
      tag: 'party',
      zh: '设置党组织所建网格',
      en: 'Replace the list of grids a branch or group is built on.',
      access: 'writer',
      params: [codeParam],
      body: jsonBody(fromZod(PartyOrgGridsInput)),
      ok: { 200: json(ref(PartyOrg)) },
      errors: [404, 409],
    }),
  },
  '/api/party-orgs/{code}/area': {
    get: op({
      tag: 'party',
      zh: '党组织覆盖范围',
      en: "The organisation's grids, their outline and households (for the map).",
      access: 'user',
      params: [codeParam],
      ok: { 200: json(ref(PartyOrgArea)) },
      errors: [404],
    }),
  },
};
