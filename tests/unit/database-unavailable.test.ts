/** Which database errors answer 503 with Retry-After (server/db/unavailable.ts): the replica's ones. */
import { describe, expect, it } from 'vitest';
import { databaseUnavailable } from '../../server/db/unavailable.ts';

describe('databaseUnavailable', () => {
  it('a read cancelled by a replica for a replay conflict is "try again", other serialization failures are not', () => {
    const conflict = { code: '40001', message: 'canceling statement due to conflict with recovery' };
    expect(databaseUnavailable(conflict)).toEqual({ retryAfter: 1, reason: 'busy' });
    const serializable = { code: '40001', message: 'could not serialize access due to concurrent update' };
    expect(databaseUnavailable(serializable)).toBeUndefined();
  });

  it('a replica that is down or starting up, or slow to connect, is unavailable (the read pool falls back on these)', () => {
    expect(databaseUnavailable({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:7301' })?.reason).toBe(
      'down',
    );
    expect(databaseUnavailable({ code: '57P03', message: 'the database system is starting up' })?.reason).toBe('down');
    expect(databaseUnavailable(new Error('timeout exceeded when trying to connect'))?.reason).toBe('busy');
  });
});
