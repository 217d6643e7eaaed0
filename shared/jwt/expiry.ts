import { decodeJwt } from 'jose';

/**
 * `exp` of a JWT-shaped bearer token, in epoch ms; undefined for opaque tokens or a missing or
 * non-numeric `exp`. The signature is not checked: the token is the platform's, and this only
 * tells its caches when to log in again (a 401 still forces a fresh login if the guess is wrong).
 */
export function jwtExpiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1_000 : undefined;
  } catch {
    return undefined;
  }
}
