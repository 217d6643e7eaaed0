import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { TokenIssuer } from '../auth.js';
import { invalidInput, unauthorized } from '../dcms-errors.js';
import { sendDcms } from '../envelope.js';
import { validate } from '../schemas.js';

const credentials = z.object({ username: z.string({ error: 'is required' }).min(1, 'is required'), password: z.string({ error: 'is required' }) }, { error: 'request body must be a JSON object' });

/**
 * `POST /api/authenticate` → `{ id_token }` (bare, not enveloped, as the reference shows it). With
 * auth off, any credentials get a token, so a client configured with credentials works either way.
 * Never rate-limited or faulted.
 */
export function mountAuthenticate(app: FastifyInstance, tokens: TokenIssuer | undefined): void {
  app.post('/api/authenticate', async (request, reply) => {
    const input = validate(credentials, request.body);
    if (!input.ok) return sendDcms(reply, invalidInput(input.fieldError));
    const token = tokens === undefined ? randomBytes(32).toString('base64url') : tokens.login(input.value.username, input.value.password);
    if (token === undefined) return sendDcms(reply, unauthorized('Bad credentials'));
    return reply.header('authorization', `Bearer ${token}`).send({ id_token: token });
  });
}
