import { WEBHOOK_ROUTES } from '../../../shared/config/resources.js';

/** Paths of the webhooks, from the one declaration the CDK stack's HTTP API routes too. */
export const CARD91_AUTH_PATH = WEBHOOK_ROUTES.card91Auth.path;
export const COURIER_EVENTS_PATH = WEBHOOK_ROUTES.courierEvents.path;
