import * as z from 'zod';
import type { DcmsCredentials } from '../dcms/auth.js';
import { getSecret } from './secrets.js';
import { getParameter } from './ssm-parameters.js';
import { TenantDirectory, tenantsDocument } from './tenants.js';

/** Cached for five minutes per Lambda instance: a rotated secret or a new tenant is seen without a deploy. */
const MAX_AGE_SECONDS = 300;

/** Tenants from SSM (production) or the inline document (local). */
export async function loadTenants(source: { TENANTS_PARAMETER?: string; TENANTS_JSON?: string }): Promise<TenantDirectory> {
  if (source.TENANTS_JSON) return TenantDirectory.parse(source.TENANTS_JSON);
  const raw = await getParameter(source.TENANTS_PARAMETER!, { maxAge: MAX_AGE_SECONDS, transform: 'json' });
  return new TenantDirectory(tenantsDocument.parse(raw));
}

const credentialsDocument = z.record(z.string(), z.object({ username: z.string().min(1), password: z.string().min(1) }));

/** DCMS credentials per tenant from Secrets Manager, through the Powertools cache. */
export function dcmsCredentialsProvider(secretId: string | undefined): ((tenant: string) => Promise<DcmsCredentials | undefined>) | undefined {
  if (!secretId) return undefined;
  return async (tenant) => {
    const secret = await getSecret(secretId, { maxAge: MAX_AGE_SECONDS, transform: 'json' });
    return credentialsDocument.parse(secret)[tenant];
  };
}
