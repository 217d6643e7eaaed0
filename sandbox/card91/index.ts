export { buildCard91Sandbox, startCard91Sandbox } from './server.js';
export type { Card91SandboxControl, Card91SandboxOptions, RunningCard91Sandbox, SandboxStats } from './server.js';
export type { FaultKind, SandboxFaults, ScriptedFault } from './faults.js';
export type { RateLimit } from './session.js';
export { defaultSeed } from './seed-data.js';
export { SANDBOX_ORG_ID } from '../../shared/tooling/local-card91.js';
export type { SandboxSeed, SeedCustomer } from './seed-data.js';
