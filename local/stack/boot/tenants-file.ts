import { readFile } from 'node:fs/promises';
import { tenantsDocument } from '../../../shared/config/tenants.js';

export interface LocalTenants {
  /** The document as the workers receive it (TENANTS_JSON). */
  json: string;
  names: string[];
}

/** Reads and validates the tenants document, so a typo stops the stack before any worker starts. */
export async function readTenantsFile(path: string): Promise<LocalTenants> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the tenants file ${path} (TENANTS_FILE): ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the tenants file ${path} is not valid JSON`);
  }
  const parsed = tenantsDocument.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`the tenants file ${path} is invalid: ${problems}`);
  }
  return { json: JSON.stringify(parsed.data), names: parsed.data.map((tenant) => tenant.tenant) };
}
