/**
 * Password hashing with scrypt (node:crypto), a memory-hard function: `scrypt$N$r$p$salt$hash`,
 * base64 parts. N = 2^15, r = 8 takes 32 MiB and ~0.1 s per hash here, which is what makes a
 * stolen table expensive to guess at; the sign-in rate limit keeps that cost from becoming a
 * way to overload the server. Hashes with weaker parameters (the 2^14 of earlier versions)
 * still verify and are rehashed at the next successful sign-in (`needsRehash`).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

export const PASSWORD_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEYLEN = 32;
/** 128·N·r bytes are needed; Node's default ceiling (32 MiB) is exactly N = 2^15's need, so say it. */
const MAXMEM = 64 * 1024 * 1024;
/** Stored hashes outside these bounds are refused rather than computed (a planted N = 2^30 would stall the server). */
const LIMITS = { N: 2 ** 17, r: 16, p: 4, keylen: 64, memory: 128 * 1024 * 1024 };

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length) return undefined;
  const N = Number(n),
    R = Number(r),
    P = Number(p);
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (
    !powerOfTwo ||
    N > LIMITS.N ||
    128 * N * R > LIMITS.memory ||
    !Number.isInteger(R) ||
    R < 1 ||
    R > LIMITS.r ||
    !Number.isInteger(P) ||
    P < 1 ||
    P > LIMITS.p
  )
    return undefined;
  const parsed = { N, r: R, p: P, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
  if (parsed.salt.length < 8 || parsed.hash.length < 16 || parsed.hash.length > LIMITS.keylen) return undefined;
  return parsed;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { ...PASSWORD_PARAMS, maxmem: MAXMEM });
  return [
    'scrypt',
    PASSWORD_PARAMS.N,
    PASSWORD_PARAMS.r,
    PASSWORD_PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** A hash to verify against when the user does not exist, so that case takes as long as a wrong password. */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(randomBytes(16).toString('hex')));

/**
 * Whether the password matches the stored hash. Compares in constant time (timingSafeEqual on
 * keys of the stored length); a malformed or out-of-bounds stored hash is `false`, never a throw.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.hash.length, {
    N: parsed.N,
    r: parsed.r,
    p: parsed.p,
    maxmem: 128 * parsed.N * parsed.r + 128 * parsed.r * parsed.p + MAXMEM,
  }).catch(() => undefined);
  return key !== undefined && key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** Whether a stored hash is weaker than today's parameters (or not ours): rehash it at sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return (
    !parsed ||
    parsed.N < PASSWORD_PARAMS.N ||
    parsed.r < PASSWORD_PARAMS.r ||
    parsed.hash.length < KEYLEN ||
    parsed.salt.length < 16
  );
}
