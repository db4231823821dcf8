import { describe, expect, it } from 'vitest';
import {
  attributesPatch,
  cleanWorkers,
  isMaskedPhone,
  parseHouseholds,
  type AttributesState,
} from './attributes-logic.ts';

const base: AttributesState = {
  name: '一号网格',
  kind: 'residential',
  households: 420,
  autoHouseholds: true,
  party_orgs: ['P1', 'P2'],
  workers: [{ name: '张三', phone: '13812345678', role: 'full_time', phone_public: false }],
};

describe('attributes form', () => {
  it('sends nothing when nothing changed (whitespace, party order and empty rows do not count)', () => {
    expect(
      attributesPatch(base, {
        ...base,
        name: ' 一号网格 ',
        party_orgs: ['P2', 'P1'],
        workers: [...base.workers, { name: ' ', phone: '', role: 'part_time', phone_public: false }],
      }),
    ).toEqual({});
  });

  it('sends only the changed fields', () => {
    expect(attributesPatch(base, { ...base, name: ' 新名 ', kind: 'mixed' })).toEqual({ name: '新名', kind: 'mixed' });
    expect(attributesPatch(base, { ...base, party_orgs: ['P1'] })).toEqual({ party_orgs: ['P1'] });
    const workers = [{ name: ' 李四 ', phone: '0311-1234567', role: 'part_time' as const, phone_public: true }];
    expect(attributesPatch(base, { ...base, workers })).toEqual({
      workers: [{ name: '李四', phone: '0311-1234567', role: 'part_time', phone_public: true }],
    });
    expect(attributesPatch(base, { ...base, workers: [{ ...base.workers[0]!, phone_public: true }] })).toEqual({
      workers: [{ ...base.workers[0]!, phone_public: true }],
    });
    expect(attributesPatch(base, { ...base, workers: [] })).toEqual({ workers: [] });
  });

  it('households: a typed number, or null to follow the buildings again', () => {
    // Automatic → typed: the number is sent even when it equals the computed one.
    expect(attributesPatch(base, { ...base, autoHouseholds: false })).toEqual({ households: 420 });
    expect(attributesPatch(base, { ...base, autoHouseholds: false, households: 380 })).toEqual({ households: 380 });
    const manual = { ...base, autoHouseholds: false, households: 380 };
    expect(attributesPatch(manual, { ...manual })).toEqual({});
    expect(attributesPatch(manual, { ...manual, households: 390 })).toEqual({ households: 390 });
    expect(attributesPatch(manual, { ...manual, autoHouseholds: true })).toEqual({ households: null });
    // Automatic stays automatic whatever the (ignored) number field holds.
    expect(attributesPatch(base, { ...base, households: 1 })).toEqual({});
    // An unreadable number is not sent.
    expect(attributesPatch(manual, { ...manual, households: null })).toEqual({});
  });

  it('reads households and phones', () => {
    expect(parseHouseholds(' 380 ')).toBe(380);
    expect(parseHouseholds('')).toBeNull();
    expect(parseHouseholds('-1')).toBeNull();
    expect(parseHouseholds('3.5')).toBeNull();
    expect(isMaskedPhone('138****5678')).toBe(true);
    expect(isMaskedPhone('13812345678')).toBe(false);
    expect(cleanWorkers([{ name: '', phone: '', role: 'full_time', phone_public: true }])).toEqual([]);
  });
});
