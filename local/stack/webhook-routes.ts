/** Paths of the webhooks, as the CDK stack's HTTP API routes them (infra/stacks/integration-stack.ts). */
export const CARD91_AUTH_PATH = '/card91/auth';
export const COURIER_EVENTS_PATH = '/couriers/{courier}/events';
